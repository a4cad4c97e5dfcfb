import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OperatorAuthController } from './operator-auth.controller';
import { OperatorLoginService } from './operator-login.service';
import { OperatorRepository } from './operator.repository';

/** The platform operator's identity: sign-in and sign-out (its routes on parked messages are in OperationsModule). */
@Module({ imports: [AuthModule], controllers: [OperatorAuthController], providers: [OperatorRepository, OperatorLoginService] })
export class PlatformModule {}
