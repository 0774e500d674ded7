import {
  generateLicenseKeyPair,
  inspectLicenseKey,
  type LicenseClaims,
  signLicenseKey,
  verifyLicenseKey,
} from './license-key.js';

const issuer = generateLicenseKeyPair();
const claims: LicenseClaims = {
  licenseId: '6f1c2a4e-1b2c-4d3e-8f90-1a2b3c4d5e6f',
  tenantId: '0b7e6f5d-4c3b-4a29-9180-7f6e5d4c3b2a',
  plan: 'pro',
  seats: 25,
  features: ['sso', 'audit_export'],
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
  issuedAt: '2025-12-20T10:00:00.000Z',
};
const during = new Date('2026-06-01T00:00:00Z');
const reasonOf = (work: () => unknown) => {
  try {
    work();
    return 'accepted';
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  }
};

describe('license keys (Ed25519)', () => {
  it('are compact tokens that verify offline with the public key', () => {
    const key = signLicenseKey(claims, issuer.privateKey);
    expect(key).toMatch(/^tlk1\.[\w-]+\.[\w-]+$/);
    expect(key.length).toBeLessThan(500);
    expect(verifyLicenseKey(key, issuer.publicKey, during)).toEqual(claims);
  });

  it('refuse an altered payload (more seats), even re-encoded cleanly', () => {
    const [prefix, , signature] = signLicenseKey(claims, issuer.privateKey).split('.');
    const forged = `${prefix}.${Buffer.from(JSON.stringify({ ...claims, seats: 1000 })).toString('base64url')}.${signature}`;
    expect(inspectLicenseKey(forged).seats).toBe(1000); // inspect shows what it says...
    expect(reasonOf(() => verifyLicenseKey(forged, issuer.publicKey, during))).toBe('bad-signature'); // ...verify refuses it
  });

  it('refuse a key signed by another key pair', () => {
    const other = generateLicenseKeyPair();
    expect(reasonOf(() => verifyLicenseKey(signLicenseKey(claims, other.privateKey), issuer.publicKey, during))).toBe(
      'bad-signature',
    );
  });

  it('refuse a key outside its validity: expired, or not yet started', () => {
    const key = signLicenseKey(claims, issuer.privateKey);
    expect(reasonOf(() => verifyLicenseKey(key, issuer.publicKey, new Date('2027-01-01T00:00:00Z')))).toBe('expired');
    expect(reasonOf(() => verifyLicenseKey(key, issuer.publicKey, new Date('2025-12-31T23:59:59Z')))).toBe(
      'not-yet-valid',
    );
    expect(
      reasonOf(() =>
        verifyLicenseKey(
          signLicenseKey({ ...claims, validUntil: null }, issuer.privateKey),
          issuer.publicKey,
          new Date('2099-01-01'),
        ),
      ),
    ).toBe('accepted');
  });

  it.each([
    ['another format', 'eyJhbGciOi.x.y'],
    ['two parts', 'tlk1.abc'],
    ['claims that are not JSON', 'tlk1.bm90IGpzb24.c2ln'],
    ['missing claims', `tlk1.${Buffer.from(JSON.stringify({ plan: 'pro' })).toString('base64url')}.c2ln`],
  ])('refuse %s as malformed', (_name, key) => {
    expect(reasonOf(() => verifyLicenseKey(key, issuer.publicKey, during))).toBe('malformed');
  });
});
