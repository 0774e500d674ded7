import { DOMParser, type Element } from '@xmldom/xmldom';
import { ErrorCode } from '@tenantry/contracts';
import { exceededBound, type XmlBounds } from './xml-bounds.js';

const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * What a posted response may hold, checked before any parser runs. node-saml
 * and xml-crypto parse the whole document several times and search it by
 * XPath for each signature, so their CPU grows with every element and
 * attribute: within these bounds the costliest document takes about 40 ms
 * of CPU (`npm run bench:saml`, budget 50 ms). A plain response
 * has about 40 elements and 50 attributes; some 60 group values still fit
 * (an IdP can send only the groups assigned to the application).
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const RESPONSE_BOUNDS: XmlBounds = { elements: 128, depth: 16, children: 100, attributes: 320 };

/** SHA-256 or stronger (what xml-crypto can check): SHA-1 signatures and digests are refused. */
const SIGNATURE_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
const DIGEST_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

/** Why a response was refused, and the code the person sees for it. The reason goes to the audit log; the IdP's own text never does. */
const CODE_OF_REASON = {
  malformed: ErrorCode.SSO_RESPONSE_INVALID,
  doctype: ErrorCode.SSO_RESPONSE_INVALID,
  too_large: ErrorCode.SSO_RESPONSE_TOO_LARGE,
  too_complex: ErrorCode.SSO_RESPONSE_TOO_LARGE,
  signature_invalid: ErrorCode.SSO_RESPONSE_INVALID,
  signature_weak_algorithm: ErrorCode.SSO_RESPONSE_INVALID,
  wrapping: ErrorCode.SSO_RESPONSE_INVALID,
  /** The IdP encrypts assertions; we hold no decryption key (turn encryption off for this SP). */
  encrypted_assertion: ErrorCode.SSO_RESPONSE_INVALID,
  audience_mismatch: ErrorCode.SSO_RESPONSE_INVALID,
  destination_mismatch: ErrorCode.SSO_RESPONSE_INVALID,
  recipient_mismatch: ErrorCode.SSO_RESPONSE_INVALID,
  issuer_mismatch: ErrorCode.SSO_RESPONSE_INVALID,
  no_expiry: ErrorCode.SSO_RESPONSE_INVALID,
  expired: ErrorCode.SSO_RESPONSE_EXPIRED,
  not_yet_valid: ErrorCode.SSO_RESPONSE_EXPIRED,
  in_response_to_unknown: ErrorCode.SSO_REQUEST_UNKNOWN,
  replayed: ErrorCode.SSO_REQUEST_UNKNOWN,
  idp_initiated_disabled: ErrorCode.SSO_IDP_INITIATED_DISABLED,
  idp_error: ErrorCode.SSO_IDP_ERROR,
  /** node-saml refused with a message we do not know (a newer version's): still refused. */
  unclassified: ErrorCode.SSO_RESPONSE_INVALID,
} as const;

export type SamlRefusalReason = keyof typeof CODE_OF_REASON;
export type SsoFailureCode = (typeof CODE_OF_REASON)[SamlRefusalReason];

/** A refused SAML response: the code the person sees, and a stable reason for the audit log. */
export class SamlRefusal extends Error {
  readonly code: SsoFailureCode;

  constructor(readonly reason: SamlRefusalReason) {
    super(`SAML response refused: ${reason}`);
    this.code = CODE_OF_REASON[reason];
  }
}

/** The XML of a posted SAMLResponse; refuses what no IdP sends and parsers have been fooled by (or slowed down with), before any parser runs. */
export function decodeSamlResponse(encoded: unknown): string {
  if (typeof encoded !== 'string' || encoded.length === 0) throw new SamlRefusal('malformed');
  if (!/^[A-Za-z0-9+/=\s]+$/.test(encoded)) throw new SamlRefusal('malformed');
  const xml = Buffer.from(encoded, 'base64').toString('utf8');
  if (Buffer.byteLength(xml) > MAX_RESPONSE_BYTES) throw new SamlRefusal('too_large');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SamlRefusal('doctype');
  const exceeded = exceededBound(xml, RESPONSE_BOUNDS);
  if (exceeded === 'syntax') throw new SamlRefusal('malformed');
  if (exceeded) throw new SamlRefusal('too_complex');
  return xml;
}

/**
 * The document, or `malformed` at anything not well-formed. xmldom merely warns
 * about unquoted or valueless attributes (`<e a b c>`), which the bounds' scan
 * does not count: they never reach node-saml.
 */
function parse(xml: string): Element {
  const errors: string[] = [];
  let root: Element | null = null;
  try {
    const doc = new DOMParser({ onError: (_level, message) => void errors.push(message) }).parseFromString(
      xml,
      'text/xml',
    );
    root = doc.documentElement;
  } catch (error) {
    errors.push((error as Error).message);
  }
  if (errors.length || !root) throw new SamlRefusal('malformed');
  return root;
}

const children = (parent: Element, ns: string, name: string): Element[] =>
  Array.from(parent.childNodes).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name,
  );
const text = (el: Element | undefined): string | null => el?.textContent?.trim() || null;

/** What the root Response says about itself. Trusted because the Response signature is required (node-saml checks it). */
export interface ResponseEnvelope {
  /** The top-level StatusCode; node-saml ignores it when the response also carries a signed assertion. */
  status: string | null;
  destination: string | null;
  issuer: string | null;
  inResponseTo: string | null;
}

/** What the root says; refuses a response any of whose signatures uses an algorithm weaker than SHA-256. */
export function readEnvelope(xml: string): ResponseEnvelope {
  const root = parse(xml);
  if (root.namespaceURI !== PROTOCOL || root.localName !== 'Response') throw new SamlRefusal('malformed');
  refuseWeakAlgorithms(root);
  const status = children(root, PROTOCOL, 'Status')[0];
  return {
    status: (status && children(status, PROTOCOL, 'StatusCode')[0]?.getAttribute('Value')) || null,
    destination: root.getAttribute('Destination') || null,
    issuer: text(children(root, ASSERTION, 'Issuer')[0]),
    inResponseTo: root.getAttribute('InResponseTo') || null,
  };
}

/**
 * node-saml and xml-crypto have no setting for the algorithms they accept
 * (xml-crypto 6 takes RSA-SHA1 and SHA-1). Every SignatureMethod and
 * DigestMethod of the document is checked, in whatever namespace and wherever
 * it is (xml-crypto finds them by local name), and each must name an allowed
 * algorithm in every attribute called Algorithm.
 */
function refuseWeakAlgorithms(root: Element): void {
  for (const [name, allowed] of [
    ['SignatureMethod', SIGNATURE_ALGORITHMS],
    ['DigestMethod', DIGEST_ALGORITHMS],
  ] as const) {
    for (const method of Array.from(root.getElementsByTagNameNS('*', name))) {
      const algorithms = Array.from(method.attributes).filter((a) => a.localName === 'Algorithm');
      if (algorithms.length === 0 || algorithms.some((a) => !allowed.has(a.value)))
        throw new SamlRefusal('signature_weak_algorithm');
    }
  }
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
  if (assertion.namespaceURI !== ASSERTION || assertion.localName !== 'Assertion') throw new SamlRefusal('wrapping');
  const subject = children(assertion, ASSERTION, 'Subject')[0];
  const bearer = subject
    ? children(subject, ASSERTION, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === BEARER)
    : [];
  const data = bearer.flatMap((c) => children(c, ASSERTION, 'SubjectConfirmationData'));
  const limits = [...children(assertion, ASSERTION, 'Conditions'), ...data]
    .map((el) => el.getAttribute('NotOnOrAfter'))
    .filter((v): v is string => !!v)
    .map((v) => new Date(v).getTime());
  const attributes = new Map<string, string[]>();
  for (const statement of children(assertion, ASSERTION, 'AttributeStatement')) {
    for (const attribute of children(statement, ASSERTION, 'Attribute')) {
      const values = children(attribute, ASSERTION, 'AttributeValue')
        .map(text)
        .filter((v): v is string => v !== null);
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
export function checkDelivery(
  envelope: ResponseEnvelope,
  facts: AssertionFacts,
  expected: { acsUrl: string; idpEntityId: string },
): void {
  if (envelope.status !== SUCCESS) throw new SamlRefusal('idp_error');
  if (envelope.destination !== expected.acsUrl) throw new SamlRefusal('destination_mismatch');
  if (envelope.issuer !== null && envelope.issuer !== expected.idpEntityId) throw new SamlRefusal('issuer_mismatch');
  if (facts.issuer !== expected.idpEntityId) throw new SamlRefusal('issuer_mismatch');
  if (facts.recipients.length === 0 || facts.recipients.some((r) => r !== expected.acsUrl))
    throw new SamlRefusal('recipient_mismatch');
  if (!facts.id) throw new SamlRefusal('malformed');
  if (!facts.expiresAt) throw new SamlRefusal('no_expiry');
}

/**
 * node-saml's errors (it has no codes, only messages) by what they say, most
 * specific first. Pinned by the unit test against the messages of the
 * installed version; a message not known here is `unclassified`, still refused.
 */
const NODE_SAML_REASONS: [RegExp, SamlRefusalReason][] = [
  [/^SAML provider returned/, 'idp_error'],
  [/InResponseTo/i, 'in_response_to_unknown'],
  [/decryption key|EncryptedAssertion/i, 'encrypted_assertion'],
  [
    /multiple assertions|ID cannot refer to more than one element|Referenced node does not refer|Cannot obtain assertion from signed data/i,
    'wrapping',
  ],
  [/not yet valid/i, 'not_yet_valid'],
  [/expired|No valid subject confirmation/i, 'expired'],
  [/audience/i, 'audience_mismatch'],
  [/signature|transforms|ref URI|SignedInfo|Reference|CanonicalizationMethod|DigestMethod/i, 'signature_invalid'],
  [
    /Missing SAML assertion|multiple conditions|Error parsing|not a valid date|Invalid xpath|Unknown SAML response|Not a valid XML/i,
    'malformed',
  ],
];

/** The refusal for whatever validating a response threw (ours pass through). */
export function refusalOf(error: Error): SamlRefusal {
  if (error instanceof SamlRefusal) return error;
  const reason =
    error.name === 'SamlStatusError'
      ? 'idp_error'
      : NODE_SAML_REASONS.find(([pattern]) => pattern.test(error.message))?.[1];
  return new SamlRefusal(reason ?? 'unclassified');
}
