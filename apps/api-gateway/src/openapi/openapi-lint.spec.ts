import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GatewayTestContext, Json } from '../testing/gateway-test-app';

const run = promisify(execFile);
/** The workspace's Redocly CLI, run by this Node (the one jest runs on), offline. */
const REDOCLY = join(__dirname, '../../../../node_modules/@redocly/cli/bin/cli.js');

interface Problem {
  ruleId: string;
  severity: string;
  message: string;
  location?: { pointer?: string }[];
}

/** `redocly lint --extends recommended` on a document: every error and warning, one line each. */
async function redoclyLint(document: Json): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    // In its own directory so no redocly.yaml around applies; no telemetry, no update check.
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const output = await run(process.execPath, [REDOCLY, 'lint', file, '--extends', 'recommended', '--format', 'json', '--max-problems', '1000'], {
      cwd: dir,
      env,
    }).then(
      ({ stdout }) => stdout,
      // Exit status 1 when it finds errors: the report is on stdout all the same.
      (error: { stdout?: string; stderr?: string }) => {
        if (!error.stdout?.includes('"problems"')) throw new Error(`redocly lint did not run: ${error.stderr}`);
        return error.stdout;
      },
    );
    const report = JSON.parse(output.slice(output.indexOf('{'))) as { problems: Problem[] };
    return report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The document the gateway serves at /docs-json (the app set up as main.ts sets it up) passes
 * `redocly lint` with the recommended rules, and says what the edge answers.
 */
describe('the served OpenAPI document', () => {
  let ctx: GatewayTestContext;
  let document: Json;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start();
    const response = await ctx.get('/docs-json');
    expect(response.status).toBe(200);
    document = await response.json();
  });

  afterAll(() => ctx?.close());

  it('passes redocly lint (recommended rules): no error, no warning', async () => {
    expect(await redoclyLint(document)).toEqual([]);
  });

  it('the lint can fail: a document without summaries, security or servers has errors', async () => {
    const broken = structuredClone(document);
    delete broken.servers;
    delete broken.paths['/api/v1/auth/login'].post.summary;
    delete broken.paths['/api/v1/auth/login'].post.security;
    const problems = await redoclyLint(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error no-empty-servers/),
        expect.stringMatching(/^error operation-summary at #\/paths\/~1api~1v1~1auth~1login\/post/),
        expect.stringMatching(/^error security-defined at #\/paths\/~1api~1v1~1auth~1login\/post/),
      ]),
    );
  });

  it('gives every operation a summary and a unique camelCase operationId', () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ where: `${method.toUpperCase()} ${path}`, operation })),
    );
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { where, operation } of operations) {
      expect({ where, summary: typeof operation.summary, operationId: operation.operationId }).toEqual({
        where,
        summary: 'string',
        operationId: expect.stringMatching(/^[a-z][A-Za-z]+$/),
      });
    }
  });

  it('declares the statuses the edge answers beyond the common ones', () => {
    const statuses = (path: string, method: string) => Object.keys(document.paths[path][method].responses);
    expect(statuses('/api/v1/auth/login', 'post')).toEqual(expect.arrayContaining(['200', '400', '401', '409', '429']));
    expect(statuses('/api/v1/auth/refresh', 'post')).toEqual(expect.arrayContaining(['200', '400', '401']));
    expect(statuses('/api/v1/contacts', 'post')).toEqual(expect.arrayContaining(['201', '400', '409', '422', '429', '503', '504']));
    expect(statuses('/api/v1/contacts/{id}', 'patch')).toEqual(expect.arrayContaining(['200', '404', '412']));
    expect(statuses('/api/v1/contacts/{id}', 'delete')).toEqual(expect.arrayContaining(['204', '404', '412']));
    expect(statuses('/api/v1/companies/{id}', 'patch')).toEqual(expect.arrayContaining(['200', '404', '412']));
    expect(document.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
    expect(document.paths['/api/v1/auth/login'].post.security).toEqual([]);
  });
});
