import { ContactErasureRepository } from './contact-erasure.repository';
import { EraseContactHandler } from './erase-contact.handler';
import { EraseContactService } from './erase-contact.service';

export const eraseContactProviders = [ContactErasureRepository, EraseContactHandler, EraseContactService];
