import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../app.config';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { callerOfClaims } from '../../auth/guard/access-token-claims';
import { JwtKeys } from '../../auth/keys/jwt-keys';
import { AccessTokenDenylist } from '../../auth/tokens/access-token-denylist';
import { isAllowed } from '../../authz/permissions';

/** Who may chat: a portal customer (their own chats), or a user whose roles work tickets. */
export type ChatCaller = { kind: 'customer'; tenantId: string; email: string } | { kind: 'agent'; user: AuthenticatedUser };

/**
 * Authenticates a chat socket once, at its handshake: browsers cannot set headers on a WebSocket,
 * so the access token comes as `?access_token=`. Verified as the HTTP guard does (RS256 only, our
 * issuer and audience, not expired, well-formed claims, not revoked), then held for the socket's life.
 */
@Injectable()
export class ChatSocketCaller {
  private readonly jwt: JwtService;

  constructor(
    keys: JwtKeys,
    config: AppConfig,
    private readonly denylist: AccessTokenDenylist,
  ) {
    this.jwt = new JwtService({ publicKey: keys.publicKey as never, verifyOptions: { algorithms: ['RS256'], issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE } });
  }

  /** The caller, or why not: 4401 (no valid token) or 4403 (a valid token that may not chat). */
  async of(request: IncomingMessage): Promise<ChatCaller | { refused: 4401 | 4403; reason: string }> {
    const token = new URL(request.url ?? '/', 'http://gateway').searchParams.get('access_token');
    if (!token) return { refused: 4401, reason: 'access_token is required' };
    let caller: AuthenticatedUser | undefined;
    try {
      caller = callerOfClaims(this.jwt.verify<object>(token));
    } catch {
      caller = undefined;
    }
    if (!caller || (await this.denylist.isRefused(caller))) return { refused: 4401, reason: 'a valid access token is required' };
    // A portal customer may always chat about their own tickets (the service checks whose chat it is).
    if (caller.kind === 'customer') return { kind: 'customer', tenantId: caller.tenantId, email: caller.userId };
    if (caller.kind === 'user' && isAllowed(caller.roles, 'tickets', 'update')) return { kind: 'agent', user: caller };
    return { refused: 4403, reason: 'your role does not work tickets' };
  }
}
