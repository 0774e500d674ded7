import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets at rest that the server must read back (a webhook's signing secret,
 * a dedicated database's connection settings): AES-256-GCM under a key derived
 * from a master secret of the configuration and a purpose, so a database dump
 * alone does not reveal them and one purpose's box cannot open another's.
 * Changing the master secret makes them unreadable: re-seal them then.
 * Kept rather than a JWE from jose: one algorithm (Node's own AES-256-GCM) and a version tag, no
 * header to parse or algorithm to choose, and every secret sealed so far keeps opening.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(
    masterSecret: string,
    private readonly purpose: string,
  ) {
    this.key = createHmac('sha256', masterSecret).update(purpose).digest();
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      sealed.toString('base64url'),
    ].join(':');
  }

  /** The sealed secret; throws when it is not one, was altered, or was sealed under another key or purpose. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error(`not a sealed secret (${this.purpose})`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`a sealed secret (${this.purpose}) does not open: altered, or sealed under another key`);
    }
  }
}
