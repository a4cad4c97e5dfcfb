import { Injectable, Logger } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { AppConfig } from '../../app.config';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** The RS256 signing key pair: from the environment, else a development pair generated at start. */
@Injectable()
export class JwtKeys {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly kid: string;
  /** The public key, parsed once (verification takes it as is). */
  readonly publicKey: KeyObject;

  constructor(config: AppConfig) {
    let privateKey: KeyObject;
    if (config.AUTH_JWT_PRIVATE_KEY && config.AUTH_JWT_PUBLIC_KEY) {
      privateKey = createPrivateKey(config.AUTH_JWT_PRIVATE_KEY);
      this.publicKey = createPublicKey(config.AUTH_JWT_PUBLIC_KEY);
      if (privateKey.asymmetricKeyType !== 'rsa' || this.publicKey.asymmetricKeyType !== 'rsa')
        throw new Error('AUTH_JWT_PRIVATE_KEY and AUTH_JWT_PUBLIC_KEY must be RSA keys (RS256)');
    } else {
      new Logger('JwtKeys').warn(
        'AUTH_JWT_PRIVATE_KEY / AUTH_JWT_PUBLIC_KEY not set: using a generated development key pair; ' +
          'tokens will not survive a restart nor be accepted by other replicas.',
      );
      ({ privateKey, publicKey: this.publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
    }
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.kid = createHash('sha256')
      .update(this.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64url')
      .slice(0, 16);
  }

  /** The public keys as a JWK Set (RFC 7517). */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }
}
