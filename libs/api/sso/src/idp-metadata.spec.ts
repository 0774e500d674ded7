import { generateKeyPairSync } from 'node:crypto';
import { testKeyPair } from '../../../../tools/demo/saml-keys.js';
import { IdpSettingsError, parseIdpMetadata } from './idp-metadata.js';

let body = '';
const bare = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
beforeAll(async () => {
  body = bare((await testKeyPair()).certificate);
});
const metadata = (inner: string, entityId = 'https://idp.example.test/metadata') =>
  `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}</md:IDPSSODescriptor></md:EntityDescriptor>`;
const key = (use = 'signing') =>
  `<md:KeyDescriptor use="${use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
const sso = (binding: string, location: string) =>
  `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:${binding}" Location="${location}"/>`;

describe('IdP metadata', () => {
  it('yields the entity ID, the redirect SSO URL and the signing certificate as PEM', () => {
    const parsed = parseIdpMetadata(
      metadata(
        key() +
          sso('HTTP-POST', 'https://idp.example.test/post') +
          sso('HTTP-Redirect', 'https://idp.example.test/redirect'),
      ),
    );
    expect(parsed).toMatchObject({
      entityId: 'https://idp.example.test/metadata',
      ssoUrl: 'https://idp.example.test/redirect',
    });
    expect(parsed.certificates.map(bare)).toEqual([body]);
    expect(parsed.certificates[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('ignores encryption keys', () => {
    expect(() =>
      parseIdpMetadata(metadata(key('encryption') + sso('HTTP-POST', 'https://idp.example.test/post'))),
    ).toThrow(new IdpSettingsError('the metadata holds no signing certificate'));
  });

  it.each([
    [
      'a DOCTYPE',
      () =>
        `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${metadata(key() + sso('HTTP-POST', 'https://x.test/'))}`,
      /DOCTYPE/,
    ],
    ['broken XML', () => '<md:EntityDescriptor', /well-formed|EntityDescriptor/],
    [
      'no IdP role',
      () => '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
      /IDPSSODescriptor/,
    ],
    ['no SSO service', () => metadata(key()), /SingleSignOnService/],
    [
      'a certificate that is not one',
      () => metadata(key().replace(body, 'bm90IGEgY2VydGlmaWNhdGU=') + sso('HTTP-POST', 'https://x.test/')),
      /X\.509/,
    ],
    ['a javascript: SSO URL', () => metadata(key() + sso('HTTP-POST', 'javascript:alert(1)')), /http\(s\)/],
  ])('refuses metadata with %s', (_, xml, reason) => {
    expect(() => parseIdpMetadata(xml())).toThrow(reason);
  });

  it('refuses a public key where a certificate belongs', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(() => parseIdpMetadata(metadata(key().replace(body, der) + sso('HTTP-POST', 'https://x.test/')))).toThrow(
      /X\.509/,
    );
  });
});
