import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLicenseCli } from './license-cli.js';

const run = (...argv: string[]) => {
  const lines: string[] = [];
  const code = runLicenseCli(argv, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenantry-license-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('license CLI', () => {
  it('generates a key pair, issues a key, inspects and verifies it', () => {
    expect(run('keygen', '--out', dir).code).toBe(0);
    expect(statSync(join(dir, 'license-private.pem')).mode & 0o777).toBe(0o600);
    const tenant = '0b7e6f5d-4c3b-4a29-9180-7f6e5d4c3b2a';
    const issued = run(
      'issue',
      '--private-key',
      join(dir, 'license-private.pem'),
      '--tenant',
      tenant,
      '--plan',
      'pro',
      '--seats',
      '25',
      '--features',
      'sso, audit_export',
      '--valid-until',
      '2099-12-31',
    );
    expect(issued.code).toBe(0);
    const key = issued.out.trim();
    expect(key).toMatch(/^tlk1\./);

    const inspected = run('inspect', key);
    expect(inspected.out).toContain('"seats": 25');
    expect(inspected.out).toContain('not verified');

    const verified = run('verify', key, '--public-key', join(dir, 'license-public.pem'));
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toContain(`Valid: pro for tenant ${tenant} until 2099-12-31T00:00:00.000Z.`);
    expect(JSON.parse(verified.out.slice(0, verified.out.lastIndexOf('}') + 1))).toMatchObject({
      tenantId: tenant,
      seats: 25,
      features: ['sso', 'audit_export'],
    });
  });

  it('refuses a key from another issuer and an expired key (exit 1, with the reason)', () => {
    const other = join(dir, 'other');
    run('keygen', '--out', other);
    const key = run(
      'issue',
      '--private-key',
      join(other, 'license-private.pem'),
      '--tenant',
      '0b7e6f5d-4c3b-4a29-9180-7f6e5d4c3b2a',
      '--plan',
      'pro',
      '--valid-until',
      'never',
    ).out.trim();
    expect(run('verify', key, '--public-key', join(dir, 'license-public.pem'))).toEqual({
      code: 1,
      out: expect.stringMatching(/^Refused \(bad-signature\)/),
    });
    const old = run(
      'issue',
      '--private-key',
      join(dir, 'license-private.pem'),
      '--tenant',
      '0b7e6f5d-4c3b-4a29-9180-7f6e5d4c3b2a',
      '--plan',
      'free',
      '--valid-from',
      '2020-01-01',
      '--valid-until',
      '2021-01-01',
    ).out.trim();
    expect(run('verify', old, '--public-key', join(dir, 'license-public.pem'))).toEqual({
      code: 1,
      out: 'Refused (expired): the license expired on 2021-01-01T00:00:00.000Z',
    });
  });

  it('explains its usage on a missing or wrong argument (exit 2)', () => {
    expect(run().code).toBe(2);
    expect(run('issue', '--plan', 'pro')).toEqual({ code: 2, out: expect.stringContaining('--tenant is required') });
    expect(
      run(
        'issue',
        '--tenant',
        '0b7e6f5d-4c3b-4a29-9180-7f6e5d4c3b2a',
        '--plan',
        'pro',
        '--seats',
        'lots',
        '--valid-until',
        'never',
        '--private-key',
        'x',
      ),
    ).toEqual({ code: 2, out: expect.stringContaining('--seats must be') });
    expect(run('keygen', '--bogus', 'x').code).toBe(2);
  });
});
