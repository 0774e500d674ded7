import { checkUrlShape, isPublicAddress } from './address-guard.js';

describe('isPublicAddress', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.12.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('lets listed exceptions through, in any notation', () => {
    expect(isPublicAddress('10.0.0.7', ['10.0.0.7'])).toBe(true);
    expect(isPublicAddress('::ffff:10.0.0.7', ['10.0.0.7'])).toBe(true);
    expect(isPublicAddress('10.0.0.8', ['10.0.0.7'])).toBe(false);
  });
});

describe('checkUrlShape', () => {
  it('takes https, and http only where allowed (not in production)', () => {
    expect(checkUrlShape('https://hooks.example.com/x', false).hostname).toBe('hooks.example.com');
    expect(() => checkUrlShape('http://hooks.example.com/x', false)).toThrow('only https URLs');
    expect(checkUrlShape('http://hooks.example.com/x', true).protocol).toBe('http:');
  });

  it('refuses credentials, other schemes, and names that are never public', () => {
    expect(() => checkUrlShape('https://u:p@hooks.example.com/', true)).toThrow(/credentials/);
    expect(() => checkUrlShape('file:///etc/passwd', true)).toThrow(/only http and https/);
    for (const host of ['localhost', 'api.localhost', 'printer.local', 'metadata.google.internal']) {
      expect(() => checkUrlShape(`https://${host}/`, true)).toThrow(/not a public host/);
    }
    expect(() => checkUrlShape('hooks', true)).toThrow('it is not a URL');
  });
});
