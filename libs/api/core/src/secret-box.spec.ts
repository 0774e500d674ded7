import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  it('opens what it sealed, with a fresh nonce each time, and only under its key and purpose', () => {
    const box = new SecretBox('x'.repeat(32), 'tenantry webhook secrets');
    const a = box.seal('whsec_abc');
    expect(box.open(a)).toBe('whsec_abc');
    expect(box.seal('whsec_abc')).not.toBe(a);
    expect(a).not.toContain('whsec_abc');
    expect(() => new SecretBox('y'.repeat(32), 'tenantry webhook secrets').open(a)).toThrow('does not open');
    expect(() => new SecretBox('x'.repeat(32), 'another purpose').open(a)).toThrow('does not open');
    const [v, iv, tag, body] = a.split(':');
    expect(() => box.open([v, iv, tag, `${body.slice(0, -2)}AA`].join(':'))).toThrow('does not open');
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });
});
