import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, DEV_UNSUBSCRIBE_SECRET } from '../../app.config';

export interface UnsubscribeClaim {
  contactId: string;
  /** The message the link came in: its send row names the tenant. */
  sendId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 128 bits of HMAC-SHA256: forging one link takes 2^128 tries. */
const MAC_BYTES = 16;

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const uuidOf = (bytes: Buffer) => bytes.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/**
 * The one credential of a one-click unsubscribe (RFC 8058): which contact, from which message,
 * signed with HMAC-SHA256. Short (66 characters: two uuids as bytes and a truncated MAC) because
 * it is a path segment. It does not expire: a link in an old message must still work.
 */
@Injectable()
export class UnsubscribeTokens {
  /** Imported once (createHmac given the raw secret imports it on every call). */
  private readonly secret: KeyObject;

  constructor(config: AppConfig) {
    this.secret = createSecretKey(Buffer.from(config.SALES_AUTOMATION_UNSUBSCRIBE_SECRET ?? DEV_UNSUBSCRIBE_SECRET, 'utf8'));
  }

  sign(claim: UnsubscribeClaim): string {
    const body = Buffer.concat([uuidBytes(claim.contactId), uuidBytes(claim.sendId)]).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The claim, or undefined for anything not signed by this secret. */
  verify(token: string): UnsubscribeClaim | undefined {
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length) return undefined;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length !== 32) return undefined;
    const claim = { contactId: uuidOf(bytes.subarray(0, 16)), sendId: uuidOf(bytes.subarray(16)) };
    return UUID.test(claim.contactId) && UUID.test(claim.sendId) ? claim : undefined;
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest().subarray(0, MAC_BYTES);
  }
}
