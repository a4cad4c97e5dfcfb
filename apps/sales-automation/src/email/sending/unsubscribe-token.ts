import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, DEV_UNSUBSCRIBE_SECRET } from '../../app.config';

export interface UnsubscribeClaim {
  tenantId: string;
  contactId: string;
  sendId: string;
}

/**
 * The one credential of a one-click unsubscribe (RFC 8058): who, of which tenant, from which
 * message, signed with HMAC-SHA256. It does not expire: a link in an old message must still work.
 */
@Injectable()
export class UnsubscribeTokens {
  private readonly secret: string;

  constructor(config: AppConfig) {
    this.secret = config.SALES_AUTOMATION_UNSUBSCRIBE_SECRET ?? DEV_UNSUBSCRIBE_SECRET;
  }

  sign(claim: UnsubscribeClaim): string {
    const body = Buffer.from(JSON.stringify([1, claim.tenantId, claim.contactId, claim.sendId])).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claim, or undefined for anything not signed by this secret. */
  verify(token: string): UnsubscribeClaim | undefined {
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const [version, tenantId, contactId, sendId] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
      if (version !== 1 || typeof tenantId !== 'string' || typeof contactId !== 'string' || typeof sendId !== 'string') return undefined;
      return { tenantId, contactId, sendId };
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
