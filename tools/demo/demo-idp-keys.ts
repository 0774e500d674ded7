import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoData, repositoryRoot } from './demo-data.ts';
import { testKeyPair } from './saml-keys.ts';

/**
 * The demo IdP's key pair, made once and kept in the demo data's `sso.keysDirectory` (under tmp/, never
 * committed): the seed pins its certificate in the demo tenant's SSO connection, so it must outlive a restart.
 */
export async function demoIdpKeys(): Promise<{ privateKey: string; certificate: string }> {
  const directory = join(repositoryRoot, demoData().sso.keysDirectory);
  const keyFile = join(directory, 'private-key.pem');
  const certificateFile = join(directory, 'certificate.pem');
  if (!existsSync(keyFile) || !existsSync(certificateFile)) {
    const keys = await testKeyPair('Tenantry demo IdP (not a real identity provider)');
    mkdirSync(directory, { recursive: true });
    writeFileSync(keyFile, keys.privateKey, { mode: 0o600 });
    writeFileSync(certificateFile, keys.certificate);
  }
  return { privateKey: readFileSync(keyFile, 'utf8'), certificate: readFileSync(certificateFile, 'utf8') };
}

// `node tools/demo/demo-idp-keys.ts` (npm start, before the seed): makes the key pair when there is none.
if (import.meta.main) await demoIdpKeys();
