import { ConfigService } from '@nestjs/config';
import { loadConfig } from '@tenantry/api-core';
import { TestDnsServer } from '@tenantry/testing/dns-server';
import { DomainVerifier } from '../src/domain-verifier.js';

let dns: TestDnsServer;
let verifier: DomainVerifier;
beforeAll(async () => {
  dns = await new TestDnsServer().start();
  verifier = new DomainVerifier(
    new ConfigService(loadConfig({ JWT_SECRET: 'x'.repeat(32), DNS_SERVERS: dns.address })),
  );
});
afterAll(() => dns.stop());

describe('DomainVerifier (against a real DNS server on loopback)', () => {
  it('finds the expected TXT value among other records', async () => {
    dns.setTxt('_tenantry-verification.acme.test', 'v=spf1 -all', 'tenantry-verification=abc123');
    expect(await verifier.check('_tenantry-verification.acme.test', 'tenantry-verification=abc123')).toEqual({
      found: true,
    });
  });

  it('says so when there is no record, or only other values', async () => {
    expect(await verifier.check('_tenantry-verification.nobody.test', 'tenantry-verification=abc123')).toEqual({
      found: false,
      reason: 'no TXT record at _tenantry-verification.nobody.test yet',
      lookupFailed: false,
    });
    dns.setTxt('_tenantry-verification.other.test', 'tenantry-verification=someone-else');
    expect(await verifier.check('_tenantry-verification.other.test', 'tenantry-verification=abc123')).toMatchObject({
      found: false,
      reason: expect.stringMatching(/do not include the expected value/),
    });
  });
});
