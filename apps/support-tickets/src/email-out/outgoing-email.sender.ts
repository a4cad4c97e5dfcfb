import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock, PollingLoop } from '@crm/service-kit';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../app.config';
import { OutgoingEmailRepository, OutgoingEmailRow } from './outgoing-email.repository';
import { replyMessage } from './reply-email';
import { SupportMailer } from './support-mailer';

const BATCH = 20;
const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 8;

/**
 * Sends queued replies: every SUPPORT_TICKETS_MAIL_POLL_MS, and shortly after a reply is queued.
 * A failed send is tried again with a growing wait (30 s, 1 min, 2 min, ...), then marked failed.
 * Sent before it is marked: a crash between the two sends it again, with the same Message-ID (mail
 * clients show it once).
 */
@Injectable()
export class OutgoingEmailSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutgoingEmailSender.name);
  private readonly loop: PollingLoop;

  constructor(
    private readonly outgoing: OutgoingEmailRepository,
    private readonly mailer: SupportMailer,
    private readonly clock: Clock,
    config: AppConfig,
    cls: ClsService,
  ) {
    this.loop = new PollingLoop('support reply mail', cls, config.SUPPORT_TICKETS_MAIL_POLL_MS, () => this.sendDue());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): void {
    this.loop.stop();
  }

  /** A reply was queued: send it shortly (after its transaction commits), not at the next poll. */
  nudge(): void {
    this.loop.soon(50);
  }

  async sendDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.outgoing.claimDue(now, new Date(now.getTime() + LEASE_MS), BATCH);
      await Promise.all(due.map((row) => this.send(row)));
      sent += due.length;
      if (due.length < BATCH) return sent;
    }
  }

  private async send(row: OutgoingEmailRow): Promise<void> {
    try {
      await this.mailer.send(replyMessage(row, row.from_address));
      await this.outgoing.markSent(row.id, this.clock.now());
    } catch (error) {
      const message = (error as Error).message;
      const retryAt = row.attempts < MAX_ATTEMPTS ? new Date(this.clock.now().getTime() + 30_000 * 2 ** (row.attempts - 1)) : null;
      this.logger.warn(`reply ${row.id} to ticket ${row.ticket_id} not sent (attempt ${row.attempts}): ${message}`);
      await this.outgoing.markFailed(row.id, message, retryAt);
    }
  }
}
