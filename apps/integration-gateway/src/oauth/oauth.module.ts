import { Module } from '@nestjs/common';
import { FormBodyParser } from '@crm/service-kit';
import { TokenController } from './token/token.controller';
import { TokenService } from './token/token.service';

/** The token endpoint (client-credentials grant) of the ERP clients. */
@Module({ controllers: [TokenController], providers: [TokenService, FormBodyParser] })
export class OAuthModule {}
