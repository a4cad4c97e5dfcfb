import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { ListPhoneCallsHandler } from './list-calls/list-calls.handler';
import { LogPhoneCallHandler } from './log-call/log-call.handler';
import { LogPhoneCallService } from './log-call/log-call.service';
import { PhoneCallRepository } from './phone-call.repository';

/** The phone call log: a call opens a ticket or joins one. */
@Module({ imports: [TicketsModule], controllers: [LogPhoneCallHandler, ListPhoneCallsHandler], providers: [PhoneCallRepository, LogPhoneCallService] })
export class PhoneModule {}
