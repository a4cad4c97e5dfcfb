import { Injectable } from '@nestjs/common';
import { CursorCodec as SignedCursorCodec } from '@crm/service-kit';
import { AppConfig, DEV_CURSOR_SECRET } from '../app.config';

export type { Cursor } from '@crm/service-kit';

/** The cursors of every list of the service (@crm/service-kit's codec), keyed with `CONTACTS_CURSOR_SECRET`. */
@Injectable()
export class CursorCodec extends SignedCursorCodec {
  constructor(config: AppConfig) {
    super(config.CONTACTS_CURSOR_SECRET ?? DEV_CURSOR_SECRET);
  }
}
