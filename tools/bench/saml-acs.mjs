#!/usr/bin/env node
// CPU of the ACS on the most expensive SAML responses an attacker can post
// (an IdP of their own signs whatever it likes): the worst documents the
// bounds still let through, validly signed, run through the same steps as
// `POST /api/sso/:id/acs` (decode and bound, envelope and algorithms,
// node-saml, our checks); and a document of tiny siblings up to the byte
// bound, which the element bounds refuse. Each must cost at most 50 ms of
// CPU (median): one request that blocks the event loop longer stalls every
// request of the instance. Not a test: it prints the CPU per shape and PASS
// or FAIL (exit code 1).
//   npm run build && npm run bench:saml [-- --rounds 30 --budget 50]
import { parseArgs } from 'node:util';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';
import {
  checkDelivery,
  decodeSamlResponse,
  MAX_RESPONSE_BYTES,
  readAssertion,
  readEnvelope,
  refusalOf,
  RESPONSE_BOUNDS,
} from '../../libs/api/sso/dist/saml-response.js';

const { values: opt } = parseArgs({
  options: { rounds: { type: 'string', default: '20' }, budget: { type: 'string', default: '50' } },
});
const ROUNDS = Number(opt.rounds);
const BUDGET_MS = Number(opt.budget);

const IDP = 'https://idp.bench.test/metadata';
const SP = 'https://acme.bench.test/api/sso/bench/metadata';
const ACS = 'https://acme.bench.test/api/sso/bench/acs';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const pems = await generate([{ name: 'commonName', value: 'Bench IdP' }], { keySize: 2048, algorithm: 'sha256' });

/** A Response as an IdP sends it, with `attributes` in the assertion's AttributeStatement and `extensions` in the Response (both signed). */
function response({ attributes = '', extensions = '' }) {
  const now = new Date();
  const later = new Date(now.getTime() + 5 * 60_000).toISOString();
  const id = () => `_${crypto.randomUUID()}`;
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${now.toISOString()}">` +
    `<saml:Issuer>${IDP}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">jane@acme.test</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${later}" Recipient="${ACS}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${later}"><saml:AudienceRestriction><saml:Audience>${SP}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement></saml:Assertion>`;
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${id()}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${ACS}">` +
    `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${IDP}</saml:Issuer>` +
    `<samlp:Extensions>${extensions}</samlp:Extensions>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`;
  const signed = sign(
    sign(xml, "/*[local-name(.)='Response']/*[local-name(.)='Assertion']"),
    "/*[local-name(.)='Response']",
  );
  return Buffer.from(signed).toString('base64');
}

function sign(xml, xpath) {
  const signer = new SignedXml({
    privateKey: pems.private,
    publicCert: pems.cert,
    canonicalizationAlgorithm: EXC_C14N,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  signer.addReference({
    xpath,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

// As SsoLoginService.saml() configures it (InResponseTo left out: the bench answers no request).
const saml = new SAML({
  idpCert: pems.cert,
  idpIssuer: IDP,
  issuer: SP,
  audience: SP,
  callbackUrl: ACS,
  wantAuthnResponseSigned: true,
  wantAssertionsSigned: true,
  validateInResponseTo: ValidateInResponseTo.never,
  acceptedClockSkewMs: 60_000,
  signatureAlgorithm: 'sha256',
  digestAlgorithm: 'sha256',
});

/** The ACS's work on one posted response: 'accepted' or the reason it was refused. */
async function acs(encoded) {
  try {
    const envelope = readEnvelope(decodeSamlResponse(encoded));
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: encoded });
    checkDelivery(envelope, readAssertion(profile.getAssertionXml()), { acsUrl: ACS, idpEntityId: IDP });
    return 'accepted';
  } catch (error) {
    return refusalOf(error).reason;
  }
}

// Real IdPs type each value (xsi:type) and declare its namespaces on it: three attributes a value.
const groups = (n) =>
  `<saml:Attribute Name="groups">${Array.from({ length: n }, (_, i) => `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">group-${i}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
// What the signed response holds before any padding (what the bounds count; the padding fills the rest,
// inside the assertion, where both signatures cover it).
const plain = Buffer.from(response({}), 'base64').toString();
const left = {
  elements: RESPONSE_BOUNDS.elements - plain.match(/<[A-Za-z]/g).length,
  attributes: RESPONSE_BOUNDS.attributes - plain.match(/="/g).length,
};
/** `count` elements carrying `left.attributes` attributes between them, as `wrap` lays them out. */
const padding = (count, wrap) => {
  const attributes = (i) =>
    Array.from(
      { length: Math.floor(left.attributes / count) + (i < left.attributes % count ? 1 : 0) },
      (_, k) => ` a${k}="${k}"`,
    ).join('');
  return wrap(Array.from({ length: count }, (_, i) => attributes(i)));
};
const chain = RESPONSE_BOUNDS.depth - 3; // below Response, Assertion and AttributeStatement
const shapes = {
  'a real response with 60 groups': { attributes: groups(60) },
  // As wide as allowed: two parents (the most children each) of empty elements.
  'the element and attribute bounds, filled flat': {
    attributes: padding(left.elements - 2, (attrs) =>
      [attrs.slice(0, attrs.length / 2), attrs.slice(attrs.length / 2)]
        .map((half) => `<f>${half.map((a) => `<e${a}/>`).join('')}</f>`)
        .join(''),
    ),
  },
};
const deepest = padding(left.elements - (left.elements % chain), (attrs) =>
  Array.from({ length: attrs.length / chain }, (_, c) => attrs.slice(c * chain, (c + 1) * chain))
    .map((link) => `${link.map((a) => `<d${a}>`).join('')}${'</d>'.repeat(link.length)}`)
    .join(''),
);
shapes['the element and attribute bounds, filled as deep as allowed'] = { attributes: deepest };
// The rest of the bytes as text in the deepest elements (an attribute-free text node costs no element).
const text = 'x'.repeat(
  Math.floor((MAX_RESPONSE_BYTES - plain.length - deepest.length - 200) / (left.elements - (left.elements % chain))),
);
shapes['the same, and the byte bound filled with text'] = { attributes: deepest.replaceAll('</d>', `${text}</d>`) };

async function cpuMs(encoded) {
  const times = [];
  let outcome;
  for (let i = 0; i < ROUNDS; i++) {
    const before = process.cpuUsage();
    outcome = await acs(encoded);
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { outcome, min: times[0], median: times[Math.floor(times.length / 2)], max: times.at(-1) };
}

let failed = false;
const report = (name, bytes, { outcome, min, median, max }, expected) => {
  const ok = median <= BUDGET_MS && expected.test(outcome);
  failed ||= !ok;
  console.log(
    `${ok ? 'PASS' : 'FAIL'}  ${name}: ${(bytes / 1024).toFixed(0)} KB, ${outcome}, CPU median ${median.toFixed(1)} ms (min ${min.toFixed(1)}, max ${max.toFixed(1)})`,
  );
};

console.log(
  `ACS CPU per response (${ROUNDS} rounds each; budget ${BUDGET_MS} ms; bounds ${JSON.stringify(RESPONSE_BOUNDS)}, ${MAX_RESPONSE_BYTES / 1024} KB)`,
);
for (const [name, shape] of Object.entries(shapes)) {
  const encoded = response(shape);
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes > MAX_RESPONSE_BYTES) throw new Error(`${name}: ${bytes} bytes, over the size bound: shrink the shape`);
  await acs(encoded); // warm up
  report(name, bytes, await cpuMs(encoded), /^accepted$/);
}
const attack = response({ extensions: '<e/>'.repeat(Math.floor((MAX_RESPONSE_BYTES - plain.length - 100) / 4)) });
report(
  'refused: tiny siblings up to the byte bound (the padding attack)',
  Buffer.from(attack, 'base64').length,
  await cpuMs(attack),
  /^too_complex$/,
);
process.exitCode = failed ? 1 : 0;
