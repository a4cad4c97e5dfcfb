import { defineScript, type CommandParser } from '@redis/client';

/**
 * Everything a request asks of Redis, in one round trip (one EVALSHA): is the caller's token
 * revoked, then one fixed-window counter per limit that applies, in order.
 *
 * KEYS: the revocation markers (ARGV[1] of them: present = refused), the revocation cut-off (if
 * ARGV[2] is not empty: refused when the token was issued at or before it), then one counter per
 * limit. ARGV[3..]: each counter's limit and window (seconds).
 * Reply: {-1} when the token is refused (no counter touched); otherwise {count, ms to reset} per
 * counter taken, stopping after the first one over its limit (so a user over theirs does not spend
 * the tenant's budget). Counters are rate-limiter-flexible's fixed window (same keys, same steps:
 * SET NX EX, INCRBY, PTTL), so its RateLimiterRedis and this script read each other's counts.
 */
const SCRIPT = `
local markers = tonumber(ARGV[1])
for i = 1, markers do
  if redis.call('EXISTS', KEYS[i]) == 1 then return {-1} end
end
local next_key = markers + 1
if ARGV[2] ~= '' then
  local cutoff = redis.call('GET', KEYS[next_key])
  if cutoff and tonumber(ARGV[2]) <= tonumber(cutoff) then return {-1} end
  next_key = next_key + 1
end
local taken = {}
local arg = 3
for i = next_key, #KEYS do
  local limit, window = tonumber(ARGV[arg]), ARGV[arg + 1]
  arg = arg + 2
  redis.call('SET', KEYS[i], 0, 'EX', window, 'NX')
  local count = redis.call('INCRBY', KEYS[i], 1)
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl == -1 then
    redis.call('EXPIRE', KEYS[i], window)
    ttl = 1000 * window
  end
  taken[#taken + 1] = count
  taken[#taken + 1] = ttl
  if count > limit then break end
end
return taken
`;

/** A counter the script takes one from. */
export interface CounterSpec {
  key: string;
  limit: number;
  windowSeconds: number;
}

/** What the script is asked: the revocation check (absent on public routes) and the counters. */
export interface AdmissionQuery {
  revocation?: { markers: string[]; cutoff: string; issuedAtMs: number };
  counters: CounterSpec[];
}

export const ADMIT_REQUEST = defineScript({
  SCRIPT,
  parseCommand(parser: CommandParser, { revocation, counters }: AdmissionQuery) {
    const keys = revocation ? [...revocation.markers, revocation.cutoff] : [];
    parser.pushKeysLength([...keys, ...counters.map((c) => c.key)]);
    parser.push(String(revocation?.markers.length ?? 0), revocation ? String(revocation.issuedAtMs) : '');
    for (const counter of counters) parser.push(String(counter.limit), String(counter.windowSeconds));
  },
  transformReply: (reply: unknown) => reply as number[],
});

/** The scripts the gateway registers on its Redis client (RedisModule.forRoot(url, { scripts })). */
export const GATEWAY_REDIS_SCRIPTS = { admitRequest: ADMIT_REQUEST };
