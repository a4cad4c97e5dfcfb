import { ContactErasureRepository } from './contact-erasure.repository';
import { EraseContactHandler } from './erase-contact.handler';
import { EraseContactService } from './erase-contact.service';

export const eraseContactProviders = [ContactErasureRepository, EraseContactService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const eraseContactControllers = [EraseContactHandler];
