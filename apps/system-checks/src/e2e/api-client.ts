import { ResponseChecker } from './support/response-checker';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON (undefined when empty). */
  body: Json;
}

/** One request and what came back: kept so the suite can say, at the end, whether anything answered 5xx. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  body: string;
}

export interface RequestOptions {
  body?: unknown;
  /** A body sent as it is (a CSV upload), with its own content-type in `headers`. */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
  /** `manual`: a redirect is answered as it is (a 302 and its Location), not followed. */
  redirect?: 'follow' | 'manual';
}

/** Where the gateway serves its OpenAPI document. */
export const DOCUMENT_PATH = '/docs-json';

/**
 * The public API seen from outside, over plain fetch: every exchange is recorded in `exchanges`
 * (shared by all callers of one client), whoever makes it, and checked against the OpenAPI
 * document the gateway serves: a status the document does not declare for the operation, or a
 * body its schema does not describe, throws (the test fails with what came back).
 */
export class ApiClient {
  readonly exchanges: Exchange[] = [];
  private checker: Promise<ResponseChecker> | undefined;

  constructor(
    private readonly base: string,
    /** `refuseServerErrors`: any 5xx throws at once, naming the request (for suites in which none is expected). */
    private readonly options: { refuseServerErrors?: boolean } = {},
  ) {}

  /** The served document, fetched once per client. */
  document(): Promise<ResponseChecker> {
    this.checker ??= (async () => {
      const response = await fetch(`${this.base}${DOCUMENT_PATH}`, { signal: AbortSignal.timeout(30_000) });
      if (response.status !== 200) throw new Error(`GET ${DOCUMENT_PATH} answered ${response.status}: cannot check responses against the API document`);
      return new ResponseChecker(await response.json());
    })();
    return this.checker;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const { body, rawBody, token, headers = {}, redirect } = options;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      redirect,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    this.exchanges.push({
      method,
      path,
      status: response.status,
      body: text.slice(0, 2_000),
    });
    const result = { status: response.status, headers: response.headers, body: parse(text) };
    if (this.options.refuseServerErrors && result.status >= 500) throw new Error(`${method} ${path} answered ${result.status}: ${text.slice(0, 2_000)}`);
    const problem = (await this.document()).check({
      method,
      path,
      status: result.status,
      contentType: response.headers.get('content-type'),
      body: result.body,
    });
    if (problem) throw new UndocumentedResponseError(problem);
    return result;
  }

  get(path: string, token?: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.request('GET', path, { token, headers });
  }

  post(path: string, body: unknown, token?: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.request('POST', path, { body, token, headers });
  }

  patch(path: string, body: unknown, token?: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.request('PATCH', path, { body, token, headers });
  }

  put(path: string, body: unknown, token?: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.request('PUT', path, { body, token, headers });
  }

  delete(path: string, token?: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.request('DELETE', path, { token, headers });
  }

  /** Every exchange that answered 5xx, one line each (method, path, status, body): empty when none did. */
  serverErrors(): string[] {
    return this.exchanges.filter((e) => e.status >= 500).map((e) => `${e.method} ${e.path} -> ${e.status} ${e.body}`);
  }
}

/** A response the served OpenAPI document does not describe. */
export class UndocumentedResponseError extends Error {
  override readonly name = 'UndocumentedResponseError';
}

function parse(text: string): Json {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The response as a comparable value: `expect(summary(res)).toMatchObject({status: 200})` shows
 * the body when the status is not the one expected, which a bare `expect(res.status)` would not.
 */
export function summary(response: ApiResponse): { status: number; body: Json } {
  return { status: response.status, body: response.body };
}

/**
 * A problem+json reply (RFC 9457) with this status and the correlation id; `fields`, when given,
 * must each be named in `errors[].field`.
 */
export function expectProblem(response: ApiResponse, status: number, fields: string[] = []): void {
  expect(summary(response)).toMatchObject({
    status,
    body: { status, correlationId: expect.any(String) },
  });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (fields.length) {
    const named = ((response.body.errors ?? []) as { field: string }[]).map((e) => e.field);
    expect({ named, body: response.body }).toEqual({
      named: expect.arrayContaining(fields),
      body: response.body,
    });
  }
}

/**
 * Polls `read` until `done` holds or `timeoutMs` passes, and returns the last value read: a
 * bounded wait for an eventually consistent read model, not a timed assertion (the caller
 * asserts on the value, so a late system fails with what it did show).
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}
