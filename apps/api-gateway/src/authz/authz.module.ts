import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { PermissionGuard } from './permission.guard';

/** Authorisation: the permission map enforced on every route. Import after AuthModule so its guard runs second. */
@Module({ imports: [AuthModule], providers: [{ provide: APP_GUARD, useClass: PermissionGuard }] })
export class AuthzModule {}
