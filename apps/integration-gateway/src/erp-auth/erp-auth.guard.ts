import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@crm/contracts';
import { IS_PUBLIC_KEY } from '@crm/observability';
import { ApiClientStatus } from '../api-clients/api-client-status';
import { assertScope } from './assert-scope';
import { ERP_CLIENT_KEY } from './current-client.decorator';
import type { ErpScope } from './erp-client';
import { ErpTokens } from './erp-tokens';
import { REQUIRED_SCOPE_KEY } from './require-scope.decorator';

/**
 * Every HTTP route: a valid access token (Bearer) and the scope the route declares; @Public()
 * routes (token endpoint, JWKS, health, docs) excepted. A route with neither is refused: deny by
 * default. Bus handlers are not HTTP: the messaging transport verifies their callers.
 */
@Injectable()
export class ErpAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ErpTokens,
    private readonly clients: ApiClientStatus,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const scope = this.reflector.getAllAndOverride<ErpScope | 'by-object' | undefined>(REQUIRED_SCOPE_KEY, targets);
    if (!scope) throw new DomainError('FORBIDDEN', 'this route declares no scope');
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> } & Record<string, unknown>>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers['authorization'] ?? '');
    if (!match) throw new DomainError('UNAUTHENTICATED', 'send an access token: Authorization: Bearer <token> (POST /oauth/token)');
    const verified = await this.tokens.verifyAccessToken(match[1]);
    // Revocation cuts live tokens; narrowed scopes bind them too (the client as stored now, cached a few seconds).
    const status = await this.clients.of(verified.clientId);
    if (status?.revoked) throw new DomainError('UNAUTHENTICATED', 'access token refused: the API client is revoked');
    const client = status ? { ...verified, scopes: verified.scopes.filter((s) => status.scopes.includes(s)) } : verified;
    if (scope !== 'by-object') assertScope(client, scope);
    request[ERP_CLIENT_KEY] = client;
    return true;
  }
}
