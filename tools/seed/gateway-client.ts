/** A problem answer of the gateway, kept whole for the message. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: ${status} ${body.slice(0, 2_000)}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The few calls the seed makes, over HTTP as any client would. 429 and 503 (nothing was done)
 * are retried after the time the gateway asks for; anything else that is not 2xx throws.
 */
export class GatewayClient {
  private token?: string;

  constructor(readonly baseUrl: string) {}

  authenticate(accessToken: string): void {
    this.token = accessToken;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  /** A body sent as it is, with its own media type (a raw email as message/rfc822). */
  postRaw<T>(path: string, contentType: string, body: string): Promise<T> {
    return this.request<T>('POST', path, body, contentType);
  }

  /** The status too: for calls where some refusals are expected (e.g. 409 on a definition that exists). */
  async postStatus(path: string, body: unknown): Promise<number> {
    try {
      await this.post(path, body);
      return 201;
    } catch (error) {
      if (error instanceof GatewayError) return error.status;
      throw error;
    }
  }

  private async request<T>(method: string, path: string, body?: unknown, rawContentType?: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body !== undefined && { 'content-type': rawContentType ?? 'application/json' }),
          ...(this.token && { authorization: `Bearer ${this.token}` }),
        },
        body: body === undefined ? undefined : rawContentType ? (body as string) : JSON.stringify(body),
      });
      if (response.ok) return (await response.json()) as T;
      const text = await response.text();
      if ((response.status === 429 || response.status === 503) && attempt < 10) {
        const retryAfter = Number(response.headers.get('retry-after'));
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 500 * attempt);
        continue;
      }
      throw new GatewayError(response.status, text, `${method} ${path}`);
    }
  }
}
