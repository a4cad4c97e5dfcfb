import { Injectable } from '@nestjs/common';
import type { TokenPair } from '../auth.types';
import { IdentityRepository } from '../identity/identity.repository';
import { TokenService } from '../tokens/token.service';
import type { RefreshDto } from './refresh.dto';

@Injectable()
export class RefreshService {
  constructor(
    private readonly tokens: TokenService,
    private readonly identity: IdentityRepository,
  ) {}

  refresh({ refreshToken }: RefreshDto): Promise<TokenPair> {
    return this.tokens.rotate(refreshToken, async (userId) => {
      const user = await this.identity.findUser(userId);
      return user?.active ? user : null;
    });
  }
}
