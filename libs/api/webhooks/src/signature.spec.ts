import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signatureHeaders, signWebhook, standardSecret, verifyWebhook } from './signature.js';

const body = '{"type":"contact.created"}';

describe('Standard Webhooks signatures', () => {
  it('verify with the standardwebhooks library, and only for the body, id and secret signed', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const headers = signatureHeaders(secret, 'delivery-1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: 'contact.created' });
    expect(() => new Webhook(secret).verify(body.replace('created', 'deleted'), headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'delivery-2' })).toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(body, headers)).toThrow();
  });

  it('are refused past five minutes (a replay)', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const headers = signatureHeaders(secret, 'delivery-1', new Date(Date.now() - 6 * 60_000), body);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/too old/);
  });

  it('take a secret made in base64url as the same key', () => {
    const key = randomBytes(24);
    const earlier = `whsec_${key.toString('base64url')}`;
    const headers = signatureHeaders(earlier, 'delivery-1', new Date(), body);
    expect(standardSecret(earlier)).toBe(`whsec_${key.toString('base64')}`);
    expect(new Webhook(standardSecret(earlier)).verify(body, headers)).toEqual({ type: 'contact.created' });
  });
});

describe('deprecated Tenantry-Signature', () => {
  it('is still sent beside the standard headers', () => {
    const secret = 'whsec_test';
    const at = new Date();
    const headers = signatureHeaders(secret, 'delivery-1', at, body);
    const signed = { signature: headers['Tenantry-Signature'], timestamp: headers['Tenantry-Timestamp'] };
    expect(verifyWebhook(secret, signed, body)).toBe(true);
  });
});

describe('webhook signatures (deprecated form)', () => {
  const secret = 'whsec_test';
  const now = 1_800_000_000_000;
  const timestamp = now / 1000;

  it('verifies what was signed, and nothing else', () => {
    const signature = signWebhook(secret, timestamp, '{"a":1}');
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, { signature, timestamp: String(timestamp) }, '{"a":1}', 300, now)).toBe(true);
    expect(verifyWebhook(secret, { signature, timestamp: String(timestamp) }, '{"a":2}', 300, now)).toBe(false);
    expect(verifyWebhook(secret, { signature, timestamp: String(timestamp + 1) }, '{"a":1}', 300, now)).toBe(false);
    expect(verifyWebhook('whsec_other', { signature, timestamp: String(timestamp) }, '{"a":1}', 300, now)).toBe(false);
    expect(verifyWebhook(secret, { signature: undefined, timestamp: String(timestamp) }, '{"a":1}', 300, now)).toBe(
      false,
    );
  });

  it('refuses an old timestamp (a replay)', () => {
    const signature = signWebhook(secret, timestamp, 'x');
    expect(verifyWebhook(secret, { signature, timestamp: String(timestamp) }, 'x', 300, now + 301_000)).toBe(false);
    expect(verifyWebhook(secret, { signature, timestamp: String(timestamp) }, 'x', 300, now + 299_000)).toBe(true);
  });
});
