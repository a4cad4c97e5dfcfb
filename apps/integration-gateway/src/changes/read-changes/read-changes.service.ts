import { Injectable } from '@nestjs/common';
import { DomainError, validationFailed } from '@crm/contracts';
import type { ErpClient } from '../../erp-auth/erp-client';
import { ChangeLogRepository } from '../change-log.repository';
import { ChangeNotifier } from '../change-notifier';
import { ChangeCloudEvent, cursorOf, toCloudEvent } from '../cloud-event';
import { FEED_EVENT_TYPES, scopeOfEvent, visibleTypes } from '../feed-events';
import type { ReadChangesQuery } from './read-changes.dto';

export interface ChangesPage {
  data: ChangeCloudEvent[];
  /** Where the next read starts (the last event's `sequence`, or the cursor given when nothing came). */
  nextCursor: string;
  /** More events are already waiting after this page. */
  hasMore: boolean;
}

/**
 * The change feed: the tenant's events in the order the gateway received them, of the types the
 * client's scopes allow, resumable from any cursor. With `wait`, an empty read holds until the
 * next change of the tenant is announced (LISTEN/NOTIFY) or the time is up.
 */
@Injectable()
export class ReadChangesService {
  constructor(
    private readonly log: ChangeLogRepository,
    private readonly notifier: ChangeNotifier,
  ) {}

  async read(client: ErpClient, { after, types, limit, wait }: ReadChangesQuery): Promise<ChangesPage> {
    const wanted = this.typesFor(client, types);
    const afterSeq = decodeCursor(after);
    const until = Date.now() + wait * 1000;
    for (;;) {
      const rows = await this.log.page(client.tenantId, afterSeq, wanted, limit + 1);
      const page = rows.slice(0, limit);
      const left = until - Date.now();
      if (page.length > 0 || left <= 0 || !(await this.notifier.next(client.tenantId, left))) {
        return { data: page.map(toCloudEvent), nextCursor: page.length ? cursorOf(page[page.length - 1].seq) : (after ?? cursorOf('0')), hasMore: rows.length > limit };
      }
    }
  }

  private typesFor(client: ErpClient, types: string[] | undefined): string[] {
    if (!types?.length) return visibleTypes(client.scopes);
    const unknown = types.filter((type) => !FEED_EVENT_TYPES.has(type));
    if (unknown.length) throw validationFailed([{ path: 'types', message: `not events of the feed: ${unknown.join(', ')}` }]);
    const hidden = types.filter((type) => !client.scopes.includes(scopeOfEvent(type)!));
    if (hidden.length) {
      const scopes = [...new Set(hidden.map((type) => scopeOfEvent(type)))];
      throw new DomainError('FORBIDDEN', `this client lacks the scope ${scopes.join(', ')} to read ${hidden.join(', ')}`, { requiredScope: scopes[0] });
    }
    return types;
  }
}

function decodeCursor(cursor: string | undefined): bigint {
  if (cursor === undefined) return 0n;
  const seq = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^(0|[1-9]\d{0,17})$/.test(seq) || cursorOf(seq) !== cursor) throw validationFailed([{ path: 'after', message: 'not a cursor of the change feed' }]);
  return BigInt(seq);
}
