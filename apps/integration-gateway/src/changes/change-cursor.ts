import { Injectable } from '@nestjs/common';
import { createHash, createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@crm/contracts';
import { ErpKeys } from '../erp-auth/erp-keys';

/**
 * The feed's opaque cursor: the seq of the last change a client got, bound to its tenant and
 * signed (HMAC-SHA256 with a key derived from the gateway's own private key), base64url. An
 * altered, foreign or malformed cursor is refused (400).
 */
@Injectable()
export class ChangeCursor {
  /** Imported once (createHmac given raw bytes imports the key on every call). */
  private readonly key: KeyObject;

  constructor(keys: ErpKeys) {
    this.key = createSecretKey(
      createHash('sha256')
        .update('change-feed-cursor\0')
        .update(keys.privateKey.export({ type: 'pkcs8', format: 'der' }))
        .digest(),
    );
  }

  encode(tenantId: string, seq: bigint): string {
    const body = `1.${seq.toString()}`;
    return Buffer.from(`${body}.${this.sign(tenantId, body)}`).toString('base64url');
  }

  decode(tenantId: string, cursor: string): bigint {
    const [version, seq, signature, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
    const body = `${version}.${seq}`;
    const expected = Buffer.from(this.sign(tenantId, body));
    const given = Buffer.from(signature ?? '');
    if (rest.length > 0 || version !== '1' || !/^\d{1,19}$/.test(seq ?? '') || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError('VALIDATION_FAILED', 'the cursor is not one this feed issued to this tenant', { field: 'after' });
    }
    return BigInt(seq);
  }

  private sign(tenantId: string, body: string): string {
    return createHmac('sha256', this.key).update(`${tenantId}\0${body}`).digest('base64url');
  }
}
