import { X509Certificate } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const MAX_METADATA_BYTES = 256 * 1024;

export interface IdpSettings {
  entityId: string;
  ssoUrl: string;
  /** PEM, one per signing certificate. */
  certificates: string[];
}

/** Why IdP settings were refused: a plain-language reason for the admin. */
export class IdpSettingsError extends Error {}

/** A base64 DER certificate (as metadata holds it) or a PEM, as normalized PEM; refused when it does not parse. */
export function toPem(text: string): string {
  const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(body))
    throw new IdpSettingsError('the signing certificate is not a base64 X.509 certificate');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    throw new IdpSettingsError('the signing certificate can not be read as X.509');
  }
  return pem;
}

/** A short description of a certificate, for the settings page. */
export function describeCertificate(pem: string): { subject: string; validTo: string } {
  const cert = new X509Certificate(pem);
  return { subject: cert.subject.replace(/\n/g, ', '), validTo: new Date(cert.validTo).toISOString() };
}

export function checkSsoUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new IdpSettingsError('the single sign-on URL is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new IdpSettingsError('the single sign-on URL must be http(s)');
  return parsed.toString();
}

/**
 * Reads an IdP's SAML metadata: entity ID, SSO URL (HTTP-Redirect, else
 * HTTP-POST) and signing certificates. Refuses DTDs and entities outright
 * (XXE, billion laughs), oversized documents, and metadata without a usable
 * certificate: signatures are only ever checked against these pinned certificates.
 */
export function parseIdpMetadata(xml: string): IdpSettings {
  if (Buffer.byteLength(xml) > MAX_METADATA_BYTES) throw new IdpSettingsError('the metadata is larger than 256 KB');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new IdpSettingsError('the metadata must not contain a DOCTYPE or entity declarations');
  const errors: string[] = [];
  let doc: ReturnType<DOMParser['parseFromString']>;
  try {
    doc = new DOMParser({
      onError: (level, message) => void (level !== 'warning' && errors.push(message)),
    }).parseFromString(xml, 'text/xml');
  } catch {
    throw new IdpSettingsError('the metadata is not well-formed XML'); // xmldom throws on fatal errors
  }
  const root = doc.documentElement;
  if (errors.length > 0 || !root) throw new IdpSettingsError('the metadata is not well-formed XML');
  const entity =
    root.localName === 'EntityDescriptor' && root.namespaceURI === MD
      ? root
      : (doc.getElementsByTagNameNS(MD, 'EntityDescriptor')[0] ?? null);
  if (!entity) throw new IdpSettingsError('no EntityDescriptor in the metadata');
  const entityId = entity.getAttribute('entityID')?.trim();
  if (!entityId) throw new IdpSettingsError('the EntityDescriptor has no entityID');
  const idp = entity.getElementsByTagNameNS(MD, 'IDPSSODescriptor')[0];
  if (!idp) throw new IdpSettingsError('the metadata describes no identity provider (IDPSSODescriptor)');

  const services = Array.from(idp.getElementsByTagNameNS(MD, 'SingleSignOnService')) as Element[];
  const service =
    services.find((s) => s.getAttribute('Binding') === REDIRECT) ??
    services.find((s) => s.getAttribute('Binding') === POST);
  const location = service?.getAttribute('Location');
  if (!location) throw new IdpSettingsError('no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding');

  const keys = (Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor')) as Element[]).filter(
    (k) => !k.getAttribute('use') || k.getAttribute('use') === 'signing',
  );
  const certificates = keys.flatMap((k) =>
    (Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')) as Element[]).map((c) => toPem(c.textContent ?? '')),
  );
  if (certificates.length === 0) throw new IdpSettingsError('the metadata holds no signing certificate');
  return { entityId, ssoUrl: checkSsoUrl(location), certificates: [...new Set(certificates)] };
}
