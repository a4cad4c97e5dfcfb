import { MergeContactsHandler } from './merge-contacts.handler';
import { MergeContactsService } from './merge-contacts.service';

export const mergeContactsProviders = [MergeContactsHandler, MergeContactsService];
