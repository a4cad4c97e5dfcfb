import { Module } from '@nestjs/common';
import { ContactsEventsHandler } from './contacts-events.handler';
import { RequesterRepository } from './requester.repository';

/** Tickets follow their requesters: a merged contact's tickets move to the survivor; an erased contact's words are removed. */
@Module({ controllers: [ContactsEventsHandler], providers: [RequesterRepository] })
export class RequestersModule {}
