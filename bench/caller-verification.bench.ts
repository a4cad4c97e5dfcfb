/**
 * The CPU cost, per RPC, of verifying the caller on the serving side (CallerVerifier): RS256
 * verification of a token seen for the first time (cache miss) and of a token already verified
 * (cache hit, the common case: a client sends one access token for up to 15 minutes), next to
 * what the server did before (zod-parsing an actor from the message body).
 *
 *   npm run bench:caller-verification   (a few seconds; prints a markdown table)
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { actorSchema } from '@crm/contracts';
import { testJwtKeys, testToken } from '@crm/testing';
import { CallerVerifier } from '@crm/messaging';

const MISSES = Number(process.env['BENCH_MISSES'] ?? 2_000);
const HITS = Number(process.env['BENCH_HITS'] ?? 200_000);

async function measure(label: string, n: number, run: (i: number) => unknown): Promise<{ label: string; n: number; cpuUs: number; wallUs: number }> {
  for (let i = 0; i < Math.min(n, 200); i++) await run(i); // warm-up
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < n; i++) await run(i);
  const used = process.cpuUsage(cpu);
  return { label, n, cpuUs: (used.user + used.system) / n, wallUs: ((performance.now() - wall) * 1000) / n };
}

async function main(): Promise<void> {
  const callers = { jwksUrl: 'http://127.0.0.1:1/unused', publicKeyPem: testJwtKeys().publicKeyPem, issuer: 'crm-api-gateway', audience: 'crm-api', cacheSize: 10_000, alsoTrusted: [] };
  const caller = { tenantId: '7d0b6f5e-4a43-4c4b-9a53-5b5f1f0b8c11', userId: '1f0b8c11-4a43-4c4b-9a53-7d0b6f5e5b5f', roles: ['sales'] };
  const actorInBody = JSON.stringify({ payload: { id: 'x' }, actor: caller });

  // Misses: a fresh token each time (signing is done beforehand, outside the measurement).
  const fresh = Array.from({ length: MISSES + 200 }, () => testToken(caller));
  const missVerifier = new CallerVerifier({ callers: { ...callers, cacheSize: 1 } } as never);
  const hitVerifier = new CallerVerifier({ callers } as never);
  const token = testToken(caller);
  await hitVerifier.verify(token);

  const rows = [
    await measure('before: actor parsed from the body (JSON.parse + zod)', HITS, () =>
      actorSchema.parse((JSON.parse(actorInBody) as { actor: unknown }).actor),
    ),
    await measure('after, cache miss: RS256 verification of a new token', MISSES, (i) => missVerifier.verify(fresh[i])),
    await measure('after, cache hit: a token verified before (remembered)', HITS, () => hitVerifier.verify(token)),
  ];
  console.log(`| check (per RPC) | n | CPU µs | wall µs |\n|---|---:|---:|---:|`);
  for (const r of rows) console.log(`| ${r.label} | ${r.n} | ${r.cpuUs.toFixed(2)} | ${r.wallUs.toFixed(2)} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
