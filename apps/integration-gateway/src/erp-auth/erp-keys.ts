import { Injectable, Logger } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { AppConfig } from '../app.config';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** The integration gateway's RS256 pair: from the environment, else a development pair generated at start. */
@Injectable()
export class ErpKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;

  constructor(config: AppConfig) {
    if (config.INTEGRATION_JWT_PRIVATE_KEY && config.INTEGRATION_JWT_PUBLIC_KEY) {
      this.privateKey = createPrivateKey(config.INTEGRATION_JWT_PRIVATE_KEY.replace(/\\n/g, '\n'));
      this.publicKey = createPublicKey(config.INTEGRATION_JWT_PUBLIC_KEY.replace(/\\n/g, '\n'));
      if (this.privateKey.asymmetricKeyType !== 'rsa' || this.publicKey.asymmetricKeyType !== 'rsa')
        throw new Error('INTEGRATION_JWT_PRIVATE_KEY and INTEGRATION_JWT_PUBLIC_KEY must be RSA keys (RS256)');
    } else {
      new Logger('ErpKeys').warn(
        'INTEGRATION_JWT_PRIVATE_KEY / INTEGRATION_JWT_PUBLIC_KEY not set: using a generated development key pair; ' +
          'tokens will not survive a restart nor be accepted by other replicas.',
      );
      ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
    }
    this.kid = createHash('sha256')
      .update(this.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64url')
      .slice(0, 16);
  }

  /** The public key as a JWK Set (RFC 7517): services verify the call tokens against it. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }
}
