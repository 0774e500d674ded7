import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  generateLicenseKeyPair,
  inspectLicenseKey,
  LicenseKeyError,
  signLicenseKey,
  verifyLicenseKey,
} from '@tenantry/api-licensing';

export const USAGE = `Tenantry license keys (Ed25519), for self-hosted installs:
  keygen  --out <dir>                       write license-private.pem (keep it secret) and license-public.pem
  issue   --private-key <file> --tenant <uuid> --plan <code> --valid-until <date|never>
          [--seats <n|unlimited>] [--features a,b] [--valid-from <date>]
  inspect <key>                             what a key says (not checked)
  verify  <key> --public-key <file>         checks signature and validity now`;

class UsageError extends Error {}

const required = (value: string | undefined, name: string): string => {
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
};
const isoDate = (value: string, name: string): string => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be a date like 2027-01-31`);
  return new Date(ms).toISOString();
};

/** Runs one command; `print` gets each output line. Exit code: 0 done, 1 key refused, 2 usage error. */
export function runLicenseCli(argv: string[], print: (line: string) => void): number {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        'private-key': { type: 'string' },
        'public-key': { type: 'string' },
        tenant: { type: 'string' },
        plan: { type: 'string' },
        seats: { type: 'string' },
        features: { type: 'string' },
        'valid-from': { type: 'string' },
        'valid-until': { type: 'string' },
      },
    });
    const [command, key] = positionals;
    switch (command) {
      case 'keygen': {
        const dir = required(values.out, 'out');
        const pair = generateLicenseKeyPair();
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'license-private.pem'), pair.privateKey, { mode: 0o600 });
        writeFileSync(join(dir, 'license-public.pem'), pair.publicKey);
        print(
          `Wrote ${join(dir, 'license-private.pem')} (secret: signs licenses) and ${join(dir, 'license-public.pem')} (ships with installs).`,
        );
        return 0;
      }
      case 'issue': {
        const tenantId = required(values.tenant, 'tenant');
        if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new UsageError('--tenant must be the tenant id (a UUID)');
        const seats = values.seats === undefined || values.seats === 'unlimited' ? null : Number(values.seats);
        if (seats !== null && !(Number.isInteger(seats) && seats > 0))
          throw new UsageError('--seats must be a positive whole number or "unlimited"');
        const until = required(values['valid-until'], 'valid-until');
        const now = new Date().toISOString();
        print(
          signLicenseKey(
            {
              licenseId: randomUUID(),
              tenantId,
              plan: required(values.plan, 'plan'),
              seats,
              features: values.features
                ? values.features
                    .split(',')
                    .map((f) => f.trim())
                    .filter(Boolean)
                : [],
              validFrom: values['valid-from'] ? isoDate(values['valid-from'], 'valid-from') : now,
              validUntil: until === 'never' ? null : isoDate(until, 'valid-until'),
              issuedAt: now,
            },
            readFileSync(required(values['private-key'], 'private-key'), 'utf8'),
          ),
        );
        return 0;
      }
      case 'inspect':
        print(JSON.stringify(inspectLicenseKey(required(key, 'key (the first argument)')), null, 2));
        print('(not verified: use `verify` with the public key)');
        return 0;
      case 'verify': {
        const claims = verifyLicenseKey(
          required(key, 'key (the first argument)'),
          readFileSync(required(values['public-key'], 'public-key'), 'utf8'),
        );
        print(JSON.stringify(claims, null, 2));
        print(
          `Valid: ${claims.plan} for tenant ${claims.tenantId}${claims.validUntil ? ` until ${claims.validUntil}` : ''}.`,
        );
        return 0;
      }
      default:
        print(USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof LicenseKeyError) {
      print(`Refused (${error.reason}): ${error.message}`);
      return 1;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      print(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
