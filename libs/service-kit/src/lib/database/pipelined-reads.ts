import { Logger } from '@nestjs/common';
import { Client, ClientConfig, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { waitAtMost } from '@crm/messaging';

const logger = new Logger('PipelinedReads');

/**
 * A few connections that every plain read of a service shares, each in pg's pipeline mode: a
 * statement is written at once behind those still running on its connection, and the backend
 * reads the next one from its socket instead of sleeping until Node sends it. With 32 callers,
 * each statement on a connection checked out of a pool of 10 cost Postgres 0.063 ms of CPU per
 * GET by id and 0.117 per filtered page; on two shared pipelined connections 0.033 and 0.075,
 * and Node's side fell by a quarter to a half as well (bench:contacts-db; its latest figures, on
 * the default four, in bench/results/contacts-db.md).
 *
 * Only for statements that cannot wait on another session: a statement queued behind one that
 * waits for a lock would wait with it (TransactionalKysely sends only plain SELECTs here). A slow
 * read delays the reads already queued behind it; each new one goes where the fewest are in flight.
 * Each statement has its own Sync, so an error fails that statement alone. A connection the
 * server ended is replaced on the next read; the reads in flight on it fail, as they would on a
 * pool's connection.
 */
export class PipelinedReads {
  private readonly connections: (Promise<Client> | undefined)[];
  private readonly inFlight: number[];
  private ended = false;

  constructor(
    private readonly config: ClientConfig,
    count: number,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`PipelinedReads: count must be a positive integer, got ${count}`);
    this.connections = new Array(count).fill(undefined);
    this.inFlight = new Array(count).fill(0);
  }

  /** Runs `query` on the connection with the fewest statements in flight, so that a slow one holds up as few as possible. */
  async query<R extends QueryResultRow>(query: QueryConfig): Promise<QueryResult<R>> {
    if (this.ended) throw new Error('PipelinedReads: ended');
    const slot = this.leastBusy();
    this.inFlight[slot]++;
    try {
      const client = await (this.connections[slot] ??= this.connect(slot));
      return await client.query<R>(query);
    } finally {
      this.inFlight[slot]--;
    }
  }

  /**
   * Closes every connection once the statements in flight on it are answered, without waiting
   * longer than `timeoutMs` for a server that no longer answers.
   */
  async end(timeoutMs = 5_000): Promise<void> {
    this.ended = true;
    const open = this.connections.splice(0).filter((c): c is Promise<Client> => c !== undefined);
    await waitAtMost(Promise.all(open.map((c) => c.then((client) => client.end()).catch(() => undefined))), timeoutMs);
  }

  private leastBusy(): number {
    let best = 0;
    for (let i = 1; i < this.inFlight.length; i++) if (this.inFlight[i] < this.inFlight[best]) best = i;
    return best;
  }

  private connect(slot: number): Promise<Client> {
    const client = new Client({ ...this.config, pipeline: true });
    const opening = client.connect().then(() => client);
    // Forget a connection once it is lost, so that the next read opens another; unlistened, its
    // 'error' event would end the process.
    const forget = () => {
      if (this.connections[slot] === opening) this.connections[slot] = undefined;
    };
    client.on('error', (error) => {
      logger.warn(`read connection lost: ${error.message}`);
      forget();
    });
    client.on('end', forget);
    opening.catch(forget);
    return opening;
  }
}
