import { Module } from '@nestjs/common';
import { UsersRepository } from '../users/users.repository';
import { ImportsController } from './imports.controller';
import { InteractionAuthors } from './interaction-authors';

/** Bulk import routes, answered by the contacts service over the bus; the authors of imported interactions are checked against the organisation's users. */
@Module({ controllers: [ImportsController], providers: [InteractionAuthors, UsersRepository] })
export class ImportsRoutesModule {}
