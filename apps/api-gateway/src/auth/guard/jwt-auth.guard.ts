import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '@crm/observability';
import type { AuthenticatedUser } from '../auth.types';
import { AccessTokenVerifier } from '../tokens/access-token-verifier';

/** Global guard: a valid access token on every route not marked @Public(); the caller lands on `request.user`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<{ headers: { authorization?: string }; user?: AuthenticatedUser }>();
    request.user = await this.verifier.authenticate(request.headers.authorization);
    return true;
  }
}
