import { Module } from '@nestjs/common';
import { EmailModule } from '../email/email.module';
import { SequencesModule } from '../sequences/sequences.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ContactCopyRepository } from './contact-copy.repository';
import { ContactReferencesRepository } from './contact-references.repository';
import { ContactsEventsHandler } from './contacts-events.handler';
import { LocalCopiesService } from './local-copies.service';
import { MergedRecordsEvents } from './merged-records-events';

/** Copies of the contacts service's contacts and companies, and the merged/erased handling of every table that points at them. */
@Module({
  imports: [EmailModule, SequencesModule, CampaignsModule],
  controllers: [ContactsEventsHandler],
  providers: [ContactCopyRepository, ContactReferencesRepository, LocalCopiesService, MergedRecordsEvents],
})
export class LocalCopiesModule {}
