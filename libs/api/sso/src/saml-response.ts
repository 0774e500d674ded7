import { DOMParser, type Element } from '@xmldom/xmldom';
import { ErrorCode } from '@tenantry/contracts';

const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const MAX_RESPONSE_BYTES = 128 * 1024;

export type SsoFailureCode =
  | typeof ErrorCode.SSO_RESPONSE_INVALID
  | typeof ErrorCode.SSO_RESPONSE_EXPIRED
  | typeof ErrorCode.SSO_REQUEST_UNKNOWN
  | typeof ErrorCode.SSO_IDP_ERROR
  | typeof ErrorCode.SSO_IDP_INITIATED_DISABLED;

/** A refused SAML response: the code the person sees, and the technical reason for the audit log. */
export class SamlRefusal extends Error {
  constructor(
    readonly code: SsoFailureCode,
    reason: string,
  ) {
    super(reason);
  }
}

const invalid = (reason: string) => new SamlRefusal(ErrorCode.SSO_RESPONSE_INVALID, reason);

/** The XML of a posted SAMLResponse; refuses what no IdP sends and parsers have been fooled by, before any parser runs. */
export function decodeSamlResponse(encoded: unknown): string {
  if (typeof encoded !== 'string' || encoded.length === 0) throw invalid('no SAMLResponse was posted');
  if (!/^[A-Za-z0-9+/=\s]+$/.test(encoded)) throw invalid('SAMLResponse is not base64');
  const xml = Buffer.from(encoded, 'base64').toString('utf8');
  if (Buffer.byteLength(xml) > MAX_RESPONSE_BYTES) throw invalid('the response is larger than 128 KB');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('the response contains a DOCTYPE or entity declarations');
  return xml;
}

function parse(xml: string): Element {
  const errors: string[] = [];
  let root: Element | null = null;
  try {
    const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(xml, 'text/xml');
    root = doc.documentElement;
  } catch (error) {
    errors.push((error as Error).message);
  }
  if (errors.length || !root) throw invalid(`the XML does not parse: ${errors[0] ?? 'no root element'}`);
  return root;
}

const children = (parent: Element, ns: string, name: string): Element[] =>
  Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name);
const text = (el: Element | undefined): string | null => el?.textContent?.trim() || null;

/** What the root Response says about itself. Trusted because the Response signature is required (node-saml checks it). */
export interface ResponseEnvelope {
  /** The top-level StatusCode; node-saml ignores it when the response also carries a signed assertion. */
  status: string | null;
  destination: string | null;
  issuer: string | null;
  inResponseTo: string | null;
}

export function readEnvelope(xml: string): ResponseEnvelope {
  const root = parse(xml);
  if (root.namespaceURI !== PROTOCOL || root.localName !== 'Response') throw invalid('the document is not a SAML Response');
  const status = children(root, PROTOCOL, 'Status')[0];
  return {
    status: (status && children(status, PROTOCOL, 'StatusCode')[0]?.getAttribute('Value')) || null,
    destination: root.getAttribute('Destination') || null,
    issuer: text(children(root, ASSERTION, 'Issuer')[0]),
    inResponseTo: root.getAttribute('InResponseTo') || null,
  };
}

/** What we use of an assertion, read from the XML node-saml verified (never from the posted document). */
export interface AssertionFacts {
  id: string;
  issuer: string | null;
  /** Recipients of the bearer subject confirmations. */
  recipients: string[];
  /** The earliest NotOnOrAfter of the conditions and bearer confirmations. */
  expiresAt: Date | null;
  nameId: string | null;
  attributes: Map<string, string[]>;
}

export function readAssertion(verifiedXml: string): AssertionFacts {
  const assertion = parse(verifiedXml);
  if (assertion.namespaceURI !== ASSERTION || assertion.localName !== 'Assertion') throw invalid('the signed element is not an assertion');
  const subject = children(assertion, ASSERTION, 'Subject')[0];
  const bearer = subject ? children(subject, ASSERTION, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === BEARER) : [];
  const data = bearer.flatMap((c) => children(c, ASSERTION, 'SubjectConfirmationData'));
  const limits = [...children(assertion, ASSERTION, 'Conditions'), ...data]
    .map((el) => el.getAttribute('NotOnOrAfter'))
    .filter((v): v is string => !!v)
    .map((v) => new Date(v).getTime());
  const attributes = new Map<string, string[]>();
  for (const statement of children(assertion, ASSERTION, 'AttributeStatement')) {
    for (const attribute of children(statement, ASSERTION, 'Attribute')) {
      const values = children(attribute, ASSERTION, 'AttributeValue').map(text).filter((v): v is string => v !== null);
      attributes.set(attribute.getAttribute('Name') ?? '', values);
    }
  }
  return {
    id: assertion.getAttribute('ID') ?? '',
    issuer: text(children(assertion, ASSERTION, 'Issuer')[0]),
    recipients: data.map((d) => d.getAttribute('Recipient') ?? ''),
    expiresAt: limits.length && limits.every(Number.isFinite) ? new Date(Math.min(...limits)) : null,
    nameId: subject ? text(children(subject, ASSERTION, 'NameID')[0]) : null,
    attributes,
  };
}

/**
 * Our own checks, which node-saml 5.1 does not make: the IdP said Success
 * (node-saml reads the status only when there is no assertion), the Response was sent to
 * this ACS, Response and assertion come from this IdP, the bearer confirmation
 * names this ACS, and the assertion expires (so the replay store can forget it).
 */
export function checkDelivery(envelope: ResponseEnvelope, facts: AssertionFacts, expected: { acsUrl: string; idpEntityId: string }): void {
  if (envelope.status !== SUCCESS) throw new SamlRefusal(ErrorCode.SSO_IDP_ERROR, `the IdP answered with status ${JSON.stringify(envelope.status)}`);
  if (envelope.destination !== expected.acsUrl) throw invalid(`Response Destination ${JSON.stringify(envelope.destination)} is not this ACS URL`);
  if (envelope.issuer !== null && envelope.issuer !== expected.idpEntityId) throw invalid(`Response Issuer ${JSON.stringify(envelope.issuer)} is not the connection's IdP`);
  if (facts.issuer !== expected.idpEntityId) throw invalid(`assertion Issuer ${JSON.stringify(facts.issuer)} is not the connection's IdP`);
  if (facts.recipients.length === 0 || facts.recipients.some((r) => r !== expected.acsUrl)) {
    throw invalid(`SubjectConfirmationData Recipient ${JSON.stringify(facts.recipients)} is not this ACS URL`);
  }
  if (!facts.id) throw invalid('the assertion has no ID');
  if (!facts.expiresAt) throw invalid('the assertion has no NotOnOrAfter');
}

/**
 * The failure code for an error node-saml threw, by its message (the library
 * has no error codes): InResponseTo problems, time limits, the IdP's own
 * error status; everything else is an untrustworthy response.
 */
export function refusalOf(error: Error): SamlRefusal {
  if (error instanceof SamlRefusal) return error;
  const message = error.message;
  if (error.name === 'SamlStatusError' || /^SAML provider returned/.test(message)) return new SamlRefusal(ErrorCode.SSO_IDP_ERROR, message);
  if (/InResponseTo/i.test(message)) return new SamlRefusal(ErrorCode.SSO_REQUEST_UNKNOWN, message);
  if (/expired|not yet valid|No valid subject confirmation/i.test(message)) return new SamlRefusal(ErrorCode.SSO_RESPONSE_EXPIRED, message);
  return invalid(message);
}
