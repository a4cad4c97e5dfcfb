import { Injectable } from '@nestjs/common';
import type { ErpClient } from '../../erp-auth/erp-client';
import { ChangeCursor } from '../change-cursor';
import { ChangeLogRepository } from '../change-log.repository';
import { ChangeNotifier } from '../change-notifier';
import { visibleResources } from '../change-scopes';
import { toCloudEvent, type ChangeCloudEvent } from '../cloud-event';
import type { ListChangesQuery } from './list-changes.dto';

export interface ChangesPage {
  data: ChangeCloudEvent[];
  /** Pass as `after` to read on (also when the page is empty: it is where the client stands). */
  next: string;
}

/**
 * The tenant's changes after a cursor, in order, of the types its scopes allow (and it asks for),
 * as CloudEvents. With `wait`, an empty page waits for the tenant's next change.
 */
@Injectable()
export class ListChangesService {
  constructor(
    private readonly changes: ChangeLogRepository,
    private readonly cursor: ChangeCursor,
    private readonly notifier: ChangeNotifier,
  ) {}

  async list(client: ErpClient, query: ListChangesQuery, signal?: AbortSignal): Promise<ChangesPage> {
    const after = query.after ? this.cursor.decode(client.tenantId, query.after) : 0n;
    const patterns = query.types ?? [];
    const page = {
      tenantId: client.tenantId,
      afterSeq: after,
      resources: visibleResources(client),
      types: patterns.filter((t) => !t.endsWith('*')),
      typePrefixes: patterns.filter((t) => t.endsWith('*')).map((t) => t.slice(0, -1)),
      limit: query.limit,
    };
    let rows = await this.changes.page(page);
    if (rows.length === 0 && query.wait > 0) {
      const deadline = Date.now() + query.wait * 1_000;
      while (rows.length === 0 && Date.now() < deadline && !signal?.aborted) {
        // Listening before reading again: a change committed in between still wakes it.
        const stop = new AbortController();
        const onAbort = () => stop.abort();
        signal?.addEventListener('abort', onAbort);
        const woken = this.notifier.waitFor(client.tenantId, deadline - Date.now(), stop.signal);
        rows = await this.changes.page(page);
        if (rows.length === 0) await woken;
        stop.abort();
        signal?.removeEventListener('abort', onAbort);
        if (rows.length === 0) rows = await this.changes.page(page);
      }
    }
    const last = rows.length > 0 ? BigInt(rows[rows.length - 1].seq) : after;
    return { data: rows.map(toCloudEvent), next: this.cursor.encode(client.tenantId, last) };
  }
}
