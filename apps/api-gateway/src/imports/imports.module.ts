import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller';

/** Bulk import routes, answered by the contacts service over the bus. */
@Module({ controllers: [ImportsController] })
export class ImportsRoutesModule {}
