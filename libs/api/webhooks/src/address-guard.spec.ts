import { checkUrlShape, isPublicAddress, resolvePublic } from './address-guard.js';

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
    // Every other IPv6 form that reaches IPv4 or a non-global network.
    ['::127.0.0.1', false], // IPv4-compatible (::/96)
    ['::7f00:1', false],
    ['::93.184.216.34', false],
    ['::ffff:7f00:1', false], // IPv4-mapped, hex
    ['::ffff:0:7f00:1', false], // IPv4-translated (RFC 6145)
    ['64:ff9b::7f00:1', false], // NAT64
    ['64:ff9b:1::1', false], // local-use NAT64 (RFC 8215)
    ['2002:7f00:1::', false], // 6to4
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false], // Teredo
    ['fe80::1%eth0', false], // link-local, with a zone
    ['fd12:3456::1', false], // unique local
    ['fec0::1', false], // site-local (deprecated)
    ['ff02::1', false], // multicast
    ['100::1', false], // discard
    ['2001:db8::1', false], // documentation
    ['4000::1', false], // outside 2000::/3
    // IPv4 in other notations (as a resolver could hand them over).
    ['2130706433', false],
    ['0x7f.1', false],
    ['017700000001', false],
    ['0', false],
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

  it('refuses those names with a trailing dot too', () => {
    for (const host of ['localhost.', 'api.localhost.', 'printer.local.', 'metadata.google.internal..']) {
      expect(() => checkUrlShape(`https://${host}/`, true)).toThrow(/not a public host/);
    }
  });
});

describe('resolvePublic', () => {
  const policy = { allowedAddresses: [], dnsServers: [] };

  it.each([
    'http://[::127.0.0.1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fec0::1]/',
    'http://[ff02::1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://017700000001/',
    'http://127.1/',
    'http://0.0.0.0/',
    'http://0/',
    'http://127.0.0.1./',
  ])('refuses %s, however the address is spelled', async (raw) => {
    const url = checkUrlShape(raw, true);
    await expect(resolvePublic(url.hostname, policy)).rejects.toThrow(/not a public address/);
  });

  it('takes a public address literal as it is', async () => {
    await expect(
      resolvePublic(checkUrlShape('http://[2606:4700:4700::1111]/', true).hostname, policy),
    ).resolves.toEqual({ address: '2606:4700:4700::1111', family: 6 });
    await expect(resolvePublic(checkUrlShape('http://1572395042/', true).hostname, policy)).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
  });
});
