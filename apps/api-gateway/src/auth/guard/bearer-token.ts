/** The bearer token of a request's `Authorization` header (RFC 6750 token characters only), or null. */
export function bearerToken(request: { headers: Record<string, string | string[] | undefined> }): string | null {
  const authorization = request.headers['authorization'];
  if (typeof authorization !== 'string') return null;
  return /^Bearer +([A-Za-z0-9_.~+/-]+=*) *$/i.exec(authorization)?.[1] ?? null;
}
