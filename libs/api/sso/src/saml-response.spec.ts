import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  decodeSamlResponse,
  MAX_RESPONSE_BYTES,
  readEnvelope,
  refusalOf,
  RESPONSE_BOUNDS,
  SamlRefusal,
  type SamlRefusalReason,
} from './saml-response.js';

const base64 = (xml: string) => Buffer.from(xml).toString('base64');
const refusalReason = (work: () => unknown): SamlRefusalReason | 'accepted' => {
  try {
    work();
    return 'accepted';
  } catch (error) {
    if (error instanceof SamlRefusal) return error.reason;
    throw error;
  }
};

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
const signature = (signatureMethod: string, digestMethod: string, prefix = 'ds') =>
  `<${prefix}:Signature xmlns:${prefix}="http://www.w3.org/2000/09/xmldsig#"><${prefix}:SignedInfo>${signatureMethod}<${prefix}:Reference URI="#_r">${digestMethod}</${prefix}:Reference></${prefix}:SignedInfo></${prefix}:Signature>`;
const method = (name: string, algorithm: string, prefix = 'ds') => `<${prefix}:${name} Algorithm="${algorithm}"/>`;
const response = (...signatures: string[]) =>
  `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" InResponseTo="_q">${signatures[0] ?? ''}<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${signatures[1] ?? ''}</saml:Assertion></samlp:Response>`;
const strong = signature(method('SignatureMethod', RSA_SHA256), method('DigestMethod', SHA256));

describe('decodeSamlResponse', () => {
  it('passes a response within the bounds', () => {
    expect(decodeSamlResponse(base64(response(strong, strong)))).toContain('samlp:Response');
  });

  it.each<[string, string, SamlRefusalReason]>([
    ['nothing posted', '', 'malformed'],
    ['not base64', '<xml/>', 'malformed'],
    ['a DOCTYPE', base64(`<!DOCTYPE r [<!ENTITY e "x">]>${response()}`), 'doctype'],
    [
      'more than the byte bound',
      base64(response().replace('</samlp:Response>', `<!--${'x'.repeat(MAX_RESPONSE_BYTES)}--></samlp:Response>`)),
      'too_large',
    ],
    [
      'thousands of sibling elements',
      base64(response().replace('</samlp:Response>', `${'<a/>'.repeat(10_000)}</samlp:Response>`)),
      'too_complex',
    ],
    [
      'more elements than the bound, spread over parents',
      base64(
        response().replace(
          '</samlp:Response>',
          `${`<p>${'<a/>'.repeat(RESPONSE_BOUNDS.children - 1)}</p>`.repeat(2)}</samlp:Response>`,
        ),
      ),
      'too_complex',
    ],
    [
      'nesting deeper than the bound',
      base64(
        response().replace(
          '</samlp:Response>',
          `${'<a>'.repeat(RESPONSE_BOUNDS.depth)}${'</a>'.repeat(RESPONSE_BOUNDS.depth)}</samlp:Response>`,
        ),
      ),
      'too_complex',
    ],
    [
      'more attributes than the bound',
      base64(
        response().replace(
          'ID="_r"',
          `ID="_r" ${Array.from({ length: RESPONSE_BOUNDS.attributes }, (_, i) => `xmlns:n${i}="urn:n${i}"`).join(' ')}`,
        ),
      ),
      'too_complex',
    ],
    ['markup the scan cannot follow', base64(`${response()}<a b="`), 'malformed'],
  ])('refuses %s', (_name, encoded, reason) => {
    expect(refusalReason(() => decodeSamlResponse(encoded))).toBe(reason);
  });
});

describe('readEnvelope refuses every signature or digest weaker than SHA-256', () => {
  it('refuses what is not well-formed, such as valueless or unquoted attributes the bounds do not count', () => {
    const valueless = Array.from({ length: 300 }, (_, i) => `a${i}`).join(' ');
    expect(
      refusalReason(() =>
        readEnvelope(response(strong, strong).replace('InResponseTo="_q"', `InResponseTo="_q" ${valueless}`)),
      ),
    ).toBe('malformed');
    expect(refusalReason(() => readEnvelope(response(strong, strong).replace('ID="_r"', 'ID=_r')))).toBe('malformed');
  });

  it('accepts RSA-SHA256 with SHA-256 digests, and SHA-512', () => {
    expect(
      readEnvelope(
        response(
          strong,
          signature(
            method('SignatureMethod', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512'),
            method('DigestMethod', 'http://www.w3.org/2001/04/xmlenc#sha512'),
          ),
        ),
      ),
    ).toMatchObject({ inResponseTo: '_q' });
  });

  it.each([
    [
      'an RSA-SHA1 Response signature',
      response(signature(method('SignatureMethod', RSA_SHA1), method('DigestMethod', SHA256)), strong),
    ],
    [
      'a SHA-1 digest in the Assertion signature',
      response(strong, signature(method('SignatureMethod', RSA_SHA256), method('DigestMethod', SHA1))),
    ],
    [
      'SHA-1 under another prefix',
      response(strong, signature(method('SignatureMethod', RSA_SHA1, 'x'), method('DigestMethod', SHA256, 'x'), 'x')),
    ],
    [
      'a method in a foreign namespace (xml-crypto matches local names)',
      response(
        strong,
        signature(`<SignatureMethod xmlns="urn:other" Algorithm="${RSA_SHA1}"/>`, method('DigestMethod', SHA256)),
      ),
    ],
    [
      'a method without an algorithm',
      response(strong, signature('<ds:SignatureMethod/>', method('DigestMethod', SHA256))),
    ],
    [
      'a second, namespaced Algorithm attribute',
      response(
        strong,
        signature(
          `<ds:DigestMethod xmlns:o="urn:o" Algorithm="${SHA256}" o:Algorithm="${SHA1}"/>`,
          method('DigestMethod', SHA256),
        ),
      ),
    ],
    [
      'HMAC',
      response(
        signature(
          method('SignatureMethod', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1'),
          method('DigestMethod', SHA256),
        ),
        strong,
      ),
    ],
  ])('%s', (_name, xml) => {
    expect(refusalReason(() => readEnvelope(xml))).toBe('signature_weak_algorithm');
  });
});

describe('refusalOf', () => {
  // Every message of node-saml 5.1 a POSTed response can end in, by the reason recorded for it.
  const cases: [string, SamlRefusalReason][] = [
    ['InResponseTo is not valid', 'in_response_to_unknown'],
    ['InResponseTo is missing from response', 'in_response_to_unknown'],
    ['InResponseTo does not match subjectInResponseTo', 'in_response_to_unknown'],
    ['SubjectInResponseTo is not valid', 'in_response_to_unknown'],
    ['Invalid document signature', 'signature_invalid'],
    ['Invalid signature', 'signature_invalid'],
    ['Too many signatures found for this element', 'signature_invalid'],
    ['Invalid signature, too many transforms', 'signature_invalid'],
    ['ref URI included quote character', 'signature_invalid'],
    ['Invalid signature: No response found', 'signature_invalid'],
    ['Invalid signature: multiple assertions', 'wrapping'],
    ['Invalid signature: ID cannot refer to more than one element', 'wrapping'],
    ["Invalid signature: Referenced node does not refer to it's parent element", 'wrapping'],
    ['Cannot obtain assertion from signed data', 'wrapping'],
    ['SAML assertion not yet valid', 'not_yet_valid'],
    ['SAML assertion expired: clocks skewed too much', 'expired'],
    ['SAML assertion expired: assertion too old', 'expired'],
    ['No valid subject confirmation found among those available in the SAML assertion', 'expired'],
    ['SAML assertion has no AudienceRestriction', 'audience_mismatch'],
    ['SAML assertion AudienceRestriction has no Audience value', 'audience_mismatch'],
    ['SAML assertion audience mismatch. Expected: ', 'audience_mismatch'],
    ['Missing SAML assertion', 'malformed'],
    ['Unable to process multiple conditions in SAML assertion', 'malformed'],
    ['Unknown SAML response message', 'malformed'],
    ['Invalid xpath return type', 'malformed'],
    ['Not a valid XML document', 'malformed'],
    ['SAML provider returned ', 'idp_error'],
    ['No decryption key for encrypted SAML response', 'encrypted_assertion'],
  ];
  const nodeSaml = dirname(createRequire(import.meta.url).resolve('@node-saml/node-saml'));
  const sources = ['saml.js', 'xml.js'].map((file) => readFileSync(join(nodeSaml, file), 'utf8')).join('\n');

  it.each(cases)('maps "%s" to %s', (message, reason) => {
    expect(sources).toContain(message); // still a message of the installed node-saml
    expect(refusalOf(new Error(`${message}x`)).reason).toBe(reason);
  });

  it('maps the IdP status error by its type, whatever the IdP wrote, and an unknown message to unclassified', () => {
    const status = Object.assign(new Error('InResponseTo audience expired'), { name: 'SamlStatusError' });
    expect(refusalOf(status).reason).toBe('idp_error');
    expect(refusalOf(new Error('something new')).reason).toBe('unclassified');
    expect(refusalOf(new SamlRefusal('replayed'))).toMatchObject({ reason: 'replayed', code: 'SSO_REQUEST_UNKNOWN' });
  });

  it('gives each reason the code the person sees', () => {
    expect(new SamlRefusal('too_complex').code).toBe('SSO_RESPONSE_TOO_LARGE');
    expect(new SamlRefusal('not_yet_valid').code).toBe('SSO_RESPONSE_EXPIRED');
    expect(new SamlRefusal('signature_weak_algorithm').code).toBe('SSO_RESPONSE_INVALID');
    expect(new SamlRefusal('idp_initiated_disabled').code).toBe('SSO_IDP_INITIATED_DISABLED');
  });
});
