import { Module } from '@nestjs/common';
import { ContactsEventsHandler } from './contacts-events.handler';
import { LinkRequesterService } from './link-requester.service';
import { RequesterRepository } from './requester.repository';

/** Tickets follow their requesters: an identified sender's tickets become the contact's; a merged contact's tickets move to the survivor; an erased contact's words are removed. */
@Module({ controllers: [ContactsEventsHandler], providers: [RequesterRepository, LinkRequesterService] })
export class RequestersModule {}
