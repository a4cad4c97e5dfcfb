import type { Role } from '@crm/contracts';

/** Claims of an access token. */
export interface AccessTokenClaims {
  sub: string;
  tid: string;
  roles: Role[];
  jti: string;
  exp: number;
  iat: number;
}

/** The authenticated caller, as the guard leaves it on the request (`request.user`). */
export interface AuthenticatedUser {
  userId: string;
  tenantId: string;
  roles: Role[];
  /** Access token id and expiry (seconds since epoch), for logout. */
  jti: string;
  exp: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}
