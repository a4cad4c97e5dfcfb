import { MergeContactsHandler } from './merge-contacts.handler';
import { MergeContactsService } from './merge-contacts.service';

export const mergeContactsProviders = [MergeContactsService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const mergeContactsControllers = [MergeContactsHandler];
