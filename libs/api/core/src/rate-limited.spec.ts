import { addressKey } from './rate-limited.js';

describe('addressKey', () => {
  it('counts an IPv4 address as it is, also when written IPv4-mapped', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    expect(addressKey('2001:db8:7:1::1')).toBe('2001:db8:7:1::/64');
    expect(addressKey('2001:0DB8:0007:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:7:1::/64');
    expect(addressKey('2001:db8:7:2::1')).not.toBe(addressKey('2001:db8:7:1::1'));
  });

  it('keeps what is not an address as it is', () => {
    expect(addressKey('unknown')).toBe('unknown');
  });
});
