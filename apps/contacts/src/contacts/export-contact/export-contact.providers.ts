import { ExportContactHandler } from './export-contact.handler';
import { ExportContactService } from './export-contact.service';

export const exportContactProviders = [ExportContactService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const exportContactControllers = [ExportContactHandler];
