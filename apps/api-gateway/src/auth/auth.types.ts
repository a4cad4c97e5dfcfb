import type { Role } from '@crm/contracts';

/** Claims of a tenant user's access token. */
export interface AccessTokenClaims {
  sub: string;
  tid: string;
  roles: Role[];
  jti: string;
  exp: number;
  iat: number;
  /** The session: the refresh-token family the token was issued with (logout ends it). */
  sid?: string;
}

/**
 * Claims of a platform operator's access token: `operator: true` and no tenant, so nothing that
 * expects a tenant user (`tid`) ever accepts it. No refresh token: a session is one access token.
 */
export interface OperatorTokenClaims {
  sub: string;
  operator: true;
  roles: [];
  jti: string;
  exp: number;
  iat: number;
}

/**
 * Claims of a portal customer's access token (issued for a spent one-time sign-in link): `portal:
 * true`, the tenant, the customer's address as the subject, no roles. It opens the portal's routes
 * only: no role holds them, and a customer holds nothing else. No refresh token.
 */
export interface CustomerTokenClaims {
  sub: string;
  tid: string;
  portal: true;
  roles: [];
  jti: string;
  exp: number;
  iat: number;
}

/** The authenticated caller, as the guard leaves it on the request (`request.user`). */
export interface AuthenticatedUser {
  /**
   * A tenant user, a platform operator (no tenant, no roles: its grants are the operator's), or a
   * portal customer (a tenant, no roles: its grants are the portal's; `userId` is their address).
   */
  kind: 'user' | 'operator' | 'customer';
  userId: string;
  /** Empty for an operator. */
  tenantId: string;
  roles: Role[];
  /** Access token id and expiry (seconds since epoch), for logout. */
  jti: string;
  exp: number;
  /** When the token was issued (seconds since epoch, with milliseconds): revocations cut off by time. */
  iat: number;
  /** The session (refresh-token family) of a user's token, when it carries one. */
  sid?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}
