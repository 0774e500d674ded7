import { loadConfig } from './config.js';

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('fills every setting with its default when only the secret is given', () => {
    const config = loadConfig({ JWT_SECRET: secret });
    expect(config.http).toEqual({
      port: 3000,
      host: '127.0.0.1',
      trustProxy: false,
      webDist: undefined,
      shutdownDelayMs: 5_000,
      shutdownGraceMs: 20_000,
    });
    expect(config.tenancy.baseDomain).toBe('localhost');
    expect(config.database.poolMax).toBe(20);
    expect(config.auth.ttlSeconds).toBe(900);
  });

  it('reads numbers and booleans from their string form', () => {
    const config = loadConfig({ JWT_SECRET: secret, PORT: '8080', TRUST_PROXY: 'true', DATABASE_POOL_MAX: '5' });
    expect(config.http.port).toBe(8080);
    expect(config.http.trustProxy).toBe(true);
    expect(config.database.poolMax).toBe(5);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxy addresses, and refuses anything else', () => {
    const trustProxy = (value: string) => loadConfig({ JWT_SECRET: secret, TRUST_PROXY: value }).http.trustProxy;
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('loopback, 10.0.0.0/8,fd00::1')).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    for (const bad of ['yes', '10.0.0.0/33', 'proxy.internal', '1,2'])
      expect(() => trustProxy(bad)).toThrow(/TRUST_PROXY must be false, the number of proxies/);
  });

  it('refuses to start with a message that lists every bad variable', () => {
    expect(() =>
      loadConfig({ JWT_SECRET: 'short', PORT: 'http', DATABASE_URL: 'mysql://x', JWT_TTL_SECONDS: '3600' }),
    ).toThrow(
      /Invalid configuration:\n(?=[\s\S]*PORT)(?=[\s\S]*DATABASE_URL must be a postgres:\/\/ URL)(?=[\s\S]*JWT_SECRET must be at least 32 characters)(?=[\s\S]*JWT_TTL_SECONDS)/,
    );
  });
});
