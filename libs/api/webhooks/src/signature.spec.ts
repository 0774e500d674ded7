import { signWebhook, verifyWebhook } from './signature.js';

describe('webhook signatures', () => {
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
