import { Global, Module } from '@nestjs/common';
import { EmailDispatch, EmailSendOutcome, EmailSendRequest } from '../../automation-ports/email-dispatch.port';
import { EnrolOutcome, EnrolRequest, SequenceEnrolments } from '../../automation-ports/sequence-enrolments.port';

/** Stands in for the email module (on another branch): records each send, answers sent once per send key. */
export class RecordingEmailDispatch extends EmailDispatch {
  readonly sent: EmailSendRequest[] = [];

  async send(request: EmailSendRequest): Promise<EmailSendOutcome> {
    const earlier = this.sent.findIndex((s) => s.tenantId === request.tenantId && s.sendKey === request.sendKey);
    if (earlier >= 0) return { status: 'already-sent', sendId: `send-${earlier}`, messageId: `<${earlier}@test>` };
    this.sent.push(request);
    return { status: 'sent', sendId: `send-${this.sent.length - 1}`, messageId: `<${this.sent.length - 1}@test>` };
  }

  async sendMany(requests: readonly EmailSendRequest[]) {
    return Promise.all(requests.map((r) => this.send(r)));
  }
}

/** Stands in for the sequences module (on another branch): records each enrol and stop. */
export class RecordingSequenceEnrolments extends SequenceEnrolments {
  readonly enrolled: EnrolRequest[] = [];
  readonly stopped: Array<{ tenantId: string; contactId: string; sequenceId?: string; reason: string }> = [];

  async enrol(request: EnrolRequest): Promise<EnrolOutcome> {
    this.enrolled.push(request);
    return { status: 'enrolled', enrolmentId: `enrolment-${this.enrolled.length}` };
  }

  async stop(request: { tenantId: string; contactId: string; sequenceId?: string; reason: string }): Promise<number> {
    this.stopped.push(request);
    return 1;
  }
}

/** The recording ports as the email and sequences modules would provide them (global, found by ModuleRef). */
@Global()
@Module({
  providers: [
    { provide: RecordingEmailDispatch, useValue: new RecordingEmailDispatch() },
    { provide: EmailDispatch, useExisting: RecordingEmailDispatch },
    { provide: RecordingSequenceEnrolments, useValue: new RecordingSequenceEnrolments() },
    { provide: SequenceEnrolments, useExisting: RecordingSequenceEnrolments },
  ],
  exports: [EmailDispatch, SequenceEnrolments, RecordingEmailDispatch, RecordingSequenceEnrolments],
})
export class RecordingPortsModule {}
