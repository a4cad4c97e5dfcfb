import { Injectable } from '@nestjs/common';
import { CursorCodec } from '@crm/service-kit';
import { AppConfig, DEV_CURSOR_SECRET } from '../app.config';

export type { Cursor } from '@crm/service-kit';

/** The cursors of the service's lists (@crm/service-kit's signed codec), keyed with `SALES_AUTOMATION_CURSOR_SECRET`. */
@Injectable()
export class SalesCursors extends CursorCodec {
  constructor(config: AppConfig) {
    super(config.SALES_AUTOMATION_CURSOR_SECRET ?? DEV_CURSOR_SECRET);
  }
}
