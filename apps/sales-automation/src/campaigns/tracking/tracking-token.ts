import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, DEV_UNSUBSCRIBE_SECRET } from '../../app.config';

export type TrackedKind = 'opened' | 'clicked';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 128 bits of HMAC-SHA256, as the unsubscribe links. */
const MAC_BYTES = 16;
const KIND_CODE: Record<TrackedKind, string> = { opened: 'o', clicked: 'c' };
const KIND_OF: Record<string, TrackedKind> = { o: 'opened', c: 'clicked' };

/**
 * The credential of an open pixel or a click redirect: which send, which kind and (for a click)
 * which URL, signed with HMAC-SHA256 under the unsubscribe secret (the same trust: a link in a
 * message). The URL is signed, not carried: the redirect goes only where the message pointed.
 * 46 characters, a path segment.
 */
@Injectable()
export class TrackingTokens {
  /** Imported once (createHmac given the raw secret imports it on every call). */
  private readonly secret: KeyObject;

  constructor(config: AppConfig) {
    this.secret = createSecretKey(Buffer.from(config.SALES_AUTOMATION_UNSUBSCRIBE_SECRET ?? DEV_UNSUBSCRIBE_SECRET, 'utf8'));
  }

  sign(sendId: string, kind: TrackedKind, url = ''): string {
    const body = `${Buffer.from(sendId.replace(/-/g, ''), 'hex').toString('base64url')}${KIND_CODE[kind]}`;
    return `${body}.${this.mac(body, url).toString('base64url')}`;
  }

  /** The send and kind, or undefined for anything not signed by this secret for this URL. */
  verify(token: string, url = ''): { sendId: string; kind: TrackedKind } | undefined {
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length || body.length !== 23) return undefined;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(body, url);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const kind = KIND_OF[body.slice(22)];
    const sendId = Buffer.from(body.slice(0, 22), 'base64url')
      .toString('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    return kind && UUID.test(sendId) ? { sendId, kind } : undefined;
  }

  private mac(body: string, url: string): Buffer {
    return createHmac('sha256', this.secret).update(`${body}\n${url}`).digest().subarray(0, MAC_BYTES);
  }
}
