/**
 * The bearer token of a request's `Authorization` header (`Bearer <token>`, scheme in any case),
 * or null. No check of the token's characters here (it runs on every request, over ~800
 * characters): a token is only ever compared whole with one verified before, or verified.
 */
export function bearerToken(request: { headers: Record<string, string | string[] | undefined> }): string | null {
  const authorization = request.headers['authorization'];
  if (typeof authorization !== 'string' || authorization.length < 8) return null;
  if (authorization.charCodeAt(6) !== 32 || authorization.slice(0, 6).toLowerCase() !== 'bearer') return null;
  const token = authorization.slice(7).trim();
  return token.length > 0 && !token.includes(' ') ? token : null;
}
