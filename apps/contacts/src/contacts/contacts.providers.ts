import { CommonTags } from './common-tags';
import { ContactLookup } from './contact-lookup';
import { ContactRepository } from './contact.repository';
import { CreateContactHandler } from './create-contact/create-contact.handler';
import { CreateContactService } from './create-contact/create-contact.service';
import { DeleteContactHandler } from './delete-contact/delete-contact.handler';
import { DeleteContactService } from './delete-contact/delete-contact.service';
import { DuplicateFinder } from './duplicates/duplicate-finder';
import { IdentifySenderService } from './identify-sender/identify-sender.service';
import { GetContactHandler } from './get-contact/get-contact.handler';
import { ListContactsHandler } from './list-contacts/list-contacts.handler';
import { ListContactsService } from './list-contacts/list-contacts.service';
import { RestoreContactHandler } from './restore-contact/restore-contact.handler';
import { RestoreContactService } from './restore-contact/restore-contact.service';
import { UpdateContactHandler } from './update-contact/update-contact.handler';
import { UpdateContactService } from './update-contact/update-contact.service';

export const contactProviders = [
  ContactRepository,
  CommonTags,
  ContactLookup,
  DuplicateFinder,
  CreateContactService,
  IdentifySenderService,
  ListContactsService,
  UpdateContactService,
  DeleteContactService,
  RestoreContactService,
];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const contactControllers = [
  CreateContactHandler,
  GetContactHandler,
  ListContactsHandler,
  UpdateContactHandler,
  DeleteContactHandler,
  RestoreContactHandler,
];
