import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, DEV_CSAT_SECRET } from '../app.config';

/** 128 bits of HMAC-SHA256: forging one link takes 2^128 tries. */
const MAC_BYTES = 16;
const UUID_HEX = /^[0-9a-f]{32}$/;

/**
 * The one credential of a CSAT rating link: the ticket's id (16 bytes) and an HMAC-SHA256
 * (SUPPORT_TICKETS_CSAT_SECRET) over it and its tenant. 45 characters, so it fits a path segment;
 * the tenant is not in the token but in the MAC: a link only verifies against the ticket's own
 * tenant. It does not expire: a customer may rate late, and rating again only changes their answer.
 */
@Injectable()
export class CsatTokens {
  /** Imported once (createHmac given the raw secret imports it on every call). */
  private readonly secret: KeyObject;

  constructor(config: AppConfig) {
    this.secret = createSecretKey(Buffer.from(config.SUPPORT_TICKETS_CSAT_SECRET ?? DEV_CSAT_SECRET, 'utf8'));
  }

  sign(claim: { tenantId: string; ticketId: string }): string {
    const body = Buffer.from(claim.ticketId.replace(/-/g, ''), 'hex').toString('base64url');
    return `${body}.${this.mac(body, claim.tenantId).toString('base64url')}`;
  }

  /** The ticket a well-formed token names (not yet verified: see isSignedFor). */
  ticketIdOf(token: string): string | undefined {
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length) return undefined;
    const hex = Buffer.from(body, 'base64url').toString('hex');
    return UUID_HEX.test(hex) ? hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5') : undefined;
  }

  /** Whether we signed the token for this tenant's ticket. */
  isSignedFor(token: string, tenantId: string): boolean {
    const [body, mac] = token.split('.');
    const given = Buffer.from(mac ?? '', 'base64url');
    const expected = this.mac(body ?? '', tenantId);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(body: string, tenantId: string): Buffer {
    return createHmac('sha256', this.secret).update(`${body}:${tenantId}`).digest().subarray(0, MAC_BYTES);
  }
}
