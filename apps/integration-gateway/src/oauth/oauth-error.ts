/** An error of the token endpoint, answered as RFC 6749 §5.2 says (not problem+json: OAuth clients expect this shape). */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type',
    readonly description: string,
    readonly status: 400 | 401,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
