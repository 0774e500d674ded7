import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/**
 * Version tag of the key format: `tlk1.<claims, base64url JSON>.<Ed25519 signature, base64url>`.
 * Kept rather than a JWS from jose: the format admits one algorithm and carries no header to
 * negotiate one (nothing like `alg: none` to refuse), keys already issued must keep verifying
 * offline on self-hosted installs, and the whole of it is Node's own Ed25519 sign and verify.
 */
const PREFIX = 'tlk1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a license key says; verifiable offline with the issuer's public key. */
export interface LicenseClaims {
  licenseId: string;
  tenantId: string;
  plan: string;
  /** null: unlimited. */
  seats: number | null;
  features: string[];
  validFrom: string;
  /** null: no expiry. */
  validUntil: string | null;
  issuedAt: string;
}

/** Why a key was refused, in words a self-hosting operator can act on. */
export class LicenseKeyError extends Error {
  constructor(
    readonly reason: 'malformed' | 'bad-signature' | 'expired' | 'not-yet-valid',
    message: string,
  ) {
    super(message);
    this.name = 'LicenseKeyError';
  }
}

/** A new Ed25519 key pair (PEM): the private key signs licenses, the public key ships with self-hosted installs. */
export function generateLicenseKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function signLicenseKey(claims: LicenseClaims, privateKeyPem: string): string {
  const body = `${PREFIX}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${sign(null, Buffer.from(body), createPrivateKey(privateKeyPem)).toString('base64url')}`;
}

/** The claims of a key without checking it (to show what a key says); never trust them. */
export function inspectLicenseKey(key: string): LicenseClaims {
  const parts = key.trim().split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX)
    throw new LicenseKeyError('malformed', `not a license key (expected ${PREFIX}.<claims>.<signature>)`);
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new LicenseKeyError('malformed', 'the claims of the key do not parse');
  }
  if (!isClaims(claims)) throw new LicenseKeyError('malformed', 'the key lacks required claims');
  return claims;
}

/** The claims of a key signed by `publicKeyPem` and valid at `now`; LicenseKeyError otherwise. */
export function verifyLicenseKey(key: string, publicKeyPem: string, now = new Date()): LicenseClaims {
  const claims = inspectLicenseKey(key);
  const [prefix, body, signature] = key.trim().split('.');
  const valid = verify(
    null,
    Buffer.from(`${prefix}.${body}`),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, 'base64url'),
  );
  if (!valid)
    throw new LicenseKeyError(
      'bad-signature',
      'the signature does not match this public key (altered, or issued by someone else)',
    );
  if (now < new Date(claims.validFrom))
    throw new LicenseKeyError('not-yet-valid', `the license starts on ${claims.validFrom}`);
  if (claims.validUntil && now >= new Date(claims.validUntil))
    throw new LicenseKeyError('expired', `the license expired on ${claims.validUntil}`);
  return claims;
}

function isClaims(value: unknown): value is LicenseClaims {
  const c = value as Partial<LicenseClaims> | null;
  const date = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.licenseId === 'string' &&
    UUID.test(c.licenseId) &&
    typeof c.tenantId === 'string' &&
    UUID.test(c.tenantId) &&
    typeof c.plan === 'string' &&
    c.plan.length > 0 &&
    (c.seats === null || (Number.isInteger(c.seats) && (c.seats as number) > 0)) &&
    Array.isArray(c.features) &&
    c.features.every((f) => typeof f === 'string') &&
    date(c.validFrom) &&
    (c.validUntil === null || date(c.validUntil)) &&
    date(c.issuedAt)
  );
}
