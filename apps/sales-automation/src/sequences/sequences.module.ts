import { Module } from '@nestjs/common';
import { SequenceEnrolments } from '../automation-ports/sequence-enrolments.port';
import { JobsModule } from '../infrastructure/jobs/jobs.module';
import { SalesCursors } from '../shared/sales-cursors';
import { ChangeEnrolmentHandler } from './change-enrolment/change-enrolment.handler';
import { ChangeEnrolmentService } from './change-enrolment/change-enrolment.service';
import { CreateSequenceHandler } from './create-sequence/create-sequence.handler';
import { CreateSequenceService } from './create-sequence/create-sequence.service';
import { DeleteSequenceHandler, DeleteSequenceService } from './delete-sequence/delete-sequence.handler';
import { EnrolContactHandler } from './enrol-contact/enrol-contact.handler';
import { EnrolmentService } from './enrol-contact/enrolment.service';
import { EnrolmentEvents } from './enrolment-events';
import { EnrolmentRepository } from './enrolment.repository';
import { SequenceExitsListener } from './exits/sequence-exits.listener';
import { GetEnrolmentHandler } from './get-enrolment/get-enrolment.handler';
import { GetSequenceHandler } from './get-sequence/get-sequence.handler';
import { ListEnrolmentsHandler } from './list-enrolments/list-enrolments.handler';
import { ListSequencesHandler } from './list-sequences/list-sequences.handler';
import { SequenceRunner } from './run-steps/sequence-runner';
import { StepBatch } from './run-steps/step-batch';
import { SequenceContactLifecycle } from './sequence-contact-lifecycle';
import { SequenceRepository } from './sequence.repository';
import { UpdateSequenceHandler } from './update-sequence/update-sequence.handler';
import { UpdateSequenceService } from './update-sequence/update-sequence.service';

/**
 * Sequences: versioned steps (waits, sends, tasks, branches), enrolments with exit conditions,
 * pause and resume, and the runner of due steps. Provides SequenceEnrolments to rules and campaigns.
 */
@Module({
  imports: [JobsModule],
  controllers: [
    CreateSequenceHandler,
    GetSequenceHandler,
    ListSequencesHandler,
    UpdateSequenceHandler,
    DeleteSequenceHandler,
    EnrolContactHandler,
    GetEnrolmentHandler,
    ListEnrolmentsHandler,
    ChangeEnrolmentHandler,
  ],
  providers: [
    SequenceRepository,
    EnrolmentRepository,
    EnrolmentEvents,
    SalesCursors,
    CreateSequenceService,
    UpdateSequenceService,
    DeleteSequenceService,
    EnrolmentService,
    { provide: SequenceEnrolments, useExisting: EnrolmentService },
    ChangeEnrolmentService,
    StepBatch,
    SequenceRunner,
    SequenceExitsListener,
    SequenceContactLifecycle,
  ],
  exports: [SequenceEnrolments, SequenceContactLifecycle, SequenceRunner],
})
export class SequencesModule {}
