/**
 * The gateway's CPU cost, per request, of authenticating the caller (JwtAuthGuard → JwtStrategy,
 * passport-jwt): a token seen for the first time (passport-jwt's verification: jsonwebtoken,
 * RS256) and a token verified before (answered from VerifiedTokens, the common case: a client
 * sends one access token for up to 15 minutes), next to jsonwebtoken's verification alone (the
 * baseline: what passport-jwt runs per request without the cache). Ratios to the baseline, same run.
 *
 *   npm run bench:access-token-verification   (a few seconds; prints a markdown table)
 */
import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as jwt from 'jsonwebtoken';
import { testGatewayKeyEnv, testJwtKeys, testToken, TEST_JWT_ISSUER } from '@crm/testing';
import { AppConfig } from '../apps/api-gateway/src/app.config';
import { JwtAuthGuard } from '../apps/api-gateway/src/auth/guard/jwt-auth.guard';
import { JwtStrategy } from '../apps/api-gateway/src/auth/guard/jwt.strategy';
import { JwtKeys } from '../apps/api-gateway/src/auth/keys/jwt-keys';

const MISSES = Number(process.env['BENCH_MISSES'] ?? 2_000);
const HITS = Number(process.env['BENCH_HITS'] ?? 100_000);

interface Row {
  label: string;
  n: number;
  cpuUs: number;
  wallUs: number;
}

async function measure(label: string, n: number, run: (i: number) => unknown, warmUp = 200): Promise<Row> {
  for (let i = 0; i < warmUp; i++) await run(n + i); // warm-up (JIT), on inputs the measurement does not use
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < n; i++) await run(i);
  const used = process.cpuUsage(cpu);
  return { label, n, cpuUs: (used.user + used.system) / n, wallUs: ((performance.now() - wall) * 1000) / n };
}

/** What the guard sees of a request: its handler and class (no @Public()), and the request. */
function contextFor(token: string): ExecutionContext {
  const request = { headers: { authorization: `Bearer ${token}` } };
  return {
    getHandler: () => contextFor,
    getClass: () => JwtAuthGuard,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

async function main(): Promise<void> {
  const config = AppConfig.load({ ...testGatewayKeyEnv(), LOG_LEVEL: 'error' });
  const keys = new JwtKeys(config);
  new JwtStrategy(keys, config); // registers 'jwt' with passport, as the app does
  const guard = new JwtAuthGuard(new Reflector());
  const caller = { tenantId: '7d0b6f5e-4a43-4c4b-9a53-5b5f1f0b8c11', userId: '1f0b8c11-4a43-4c4b-9a53-7d0b6f5e5b5f', roles: ['sales' as const] };
  const claims = { aud: config.AUTH_JWT_AUDIENCE, sid: randomUUID() };
  // Fresh tokens for the misses, signed beforehand (outside the measurement).
  const fresh = Array.from({ length: 2 * MISSES + 400 }, () => testToken(caller, { claims }));
  const token = testToken(caller, { claims });
  await guard.canActivate(contextFor(token));
  const verifyOptions: jwt.VerifyOptions = { algorithms: ['RS256'], issuer: TEST_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE };
  // The same key the strategy is given; also the PEM, which jsonwebtoken would parse on every call.
  const pem = testJwtKeys().publicKeyPem;

  // The hit first: measured after the misses in the same process it read ~3x higher here (12 µs
  // against 4-5: the state the misses leave the JIT and the heap in, not the hit's own work).
  const hit = await measure('guard, cache hit: a token verified before', HITS, () => guard.canActivate(contextFor(token)), 20_000);
  const baseline = await measure('baseline: jsonwebtoken.verify of a new token (KeyObject)', MISSES, (i) =>
    jwt.verify(fresh[i], keys.publicKey, verifyOptions),
  );
  const rows = [
    baseline,
    await measure('jsonwebtoken.verify of a new token (PEM string)', MISSES, (i) => jwt.verify(fresh[MISSES + 200 + i], pem, verifyOptions)),
    await measure('guard, cache miss: passport-jwt verifies a new token', MISSES, (i) => guard.canActivate(contextFor(fresh[(i + MISSES) % fresh.length]))),
    hit,
  ];
  console.log(`| per request | n | CPU µs | wall µs | CPU vs baseline |\n|---|---:|---:|---:|---:|`);
  for (const r of rows) console.log(`| ${r.label} | ${r.n} | ${r.cpuUs.toFixed(2)} | ${r.wallUs.toFixed(2)} | ${(r.cpuUs / baseline.cpuUs).toFixed(2)}x |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
