import { generate } from 'selfsigned';

/** A fresh RSA key and self-signed certificate, made at test time (nothing secret is committed). */
export async function testKeyPair(
  commonName = 'Tenantry test IdP',
): Promise<{ privateKey: string; certificate: string }> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keySize: 2048, algorithm: 'sha256' });
  return { privateKey: pems.private, certificate: pems.cert };
}
