import { Module } from '@nestjs/common';
import { EnrolmentsController } from './enrolments.controller';
import { SequencesController } from './sequences.controller';

/** The sequences and enrolments routes, answered by the sales-automation service over the bus. */
@Module({ controllers: [SequencesController, EnrolmentsController] })
export class SequencesRoutesModule {}
