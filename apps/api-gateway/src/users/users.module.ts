import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ActivateUserController } from './activate-user/activate-user.controller';
import { ActivateUserService } from './activate-user/activate-user.service';
import { AdminGuardRails } from './admin-guard-rails';
import { CreateUserController } from './create-user/create-user.controller';
import { CreateUserService } from './create-user/create-user.service';
import { DeactivateUserController } from './deactivate-user/deactivate-user.controller';
import { DeactivateUserService } from './deactivate-user/deactivate-user.service';
import { GetUserController } from './get-user/get-user.controller';
import { GetUserService } from './get-user/get-user.service';
import { ListUsersController } from './list-users/list-users.controller';
import { ListUsersService } from './list-users/list-users.service';
import { UpdateUserController } from './update-user/update-user.controller';
import { UpdateUserService } from './update-user/update-user.service';
import { UsersRepository } from './users.repository';

/**
 * Users administration of an organisation: create, list, get, rename or re-role, deactivate and
 * activate (/api/v1/users). Deactivation is an action, not DELETE: a user is never removed.
 */
@Module({
  imports: [AuthModule],
  controllers: [CreateUserController, ListUsersController, GetUserController, UpdateUserController, DeactivateUserController, ActivateUserController],
  providers: [
    UsersRepository,
    AdminGuardRails,
    CreateUserService,
    ListUsersService,
    GetUserService,
    UpdateUserService,
    DeactivateUserService,
    ActivateUserService,
  ],
})
export class UsersModule {}
