import { Injectable } from '@nestjs/common';
import { EnrolmentEvents } from './enrolment-events';
import { EnrolmentRepository } from './enrolment.repository';

/** What the contact's merged and erased events do to enrolments (called by the local copies, in the event's transaction). */
@Injectable()
export class SequenceContactLifecycle {
  constructor(
    private readonly enrolments: EnrolmentRepository,
    private readonly enrolmentEvents: EnrolmentEvents,
  ) {}

  /** Nothing of the contact stays: enrolments and their history are deleted (no event names an erased contact again). */
  async erased(tenantId: string, contactId: string): Promise<void> {
    await this.enrolments.deleteForContact(tenantId, contactId);
  }

  /** The merged contact's enrolments carry on as the survivor's, but one sequence runs once per contact. */
  async merged(tenantId: string, mergedId: string, survivorId: string, at: Date): Promise<void> {
    await this.enrolmentEvents.ended(await this.enrolments.moveToSurvivor(tenantId, mergedId, survivorId, at));
  }
}
