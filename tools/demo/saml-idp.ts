import { inflateRawSync } from 'node:zlib';
import * as validator from '@authenio/samlify-node-xmllint';
import * as samlify from 'samlify';
import { testKeyPair } from './saml-keys.ts';

samlify.setSchemaValidator(validator);

const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const SIGNATURE_ALGORITHMS = {
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  // Outdated: for tests that prove such responses are refused (samlify digests with SHA-1 then too).
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
};
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/** Our service provider as the IdP knows it (from the connection's settings). */
export interface TestSp {
  entityId: string;
  acsUrl: string;
}

export interface TestSamlUser {
  email: string;
  /** SAML attributes by name; several values for groups. */
  attributes?: Record<string, string | string[]>;
}

/** Values of samlify's response template to override, e.g. a wrong Audience or an old NotOnOrAfter. */
export type ResponseTags = Partial<
  Record<
    | 'ID'
    | 'AssertionID'
    | 'Destination'
    | 'Audience'
    | 'SubjectRecipient'
    | 'Issuer'
    | 'IssueInstant'
    | 'StatusCode'
    | 'ConditionsNotBefore'
    | 'ConditionsNotOnOrAfter'
    | 'SubjectConfirmationDataNotOnOrAfter'
    | 'NameID'
    | 'InResponseTo',
    string
  >
>;

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A SAML identity provider nobody here wrote: samlify in IdP mode (schema
 * validation by @authenio/samlify-node-xmllint), with a key pair made at test
 * time. It signs Response and Assertion with RSA-SHA256 (or, when asked,
 * RSA-SHA1 with SHA-1 digests).
 */
export class TestSamlIdp {
  readonly entityId: string;
  readonly ssoUrl: string;
  readonly keys: { privateKey: string; certificate: string };
  private readonly idp: ReturnType<typeof samlify.IdentityProvider>;

  // Plain fields, not parameter properties: `npm start` runs this file with Node's type stripping.
  private constructor(
    entityId: string,
    ssoUrl: string,
    keys: TestSamlIdp['keys'],
    idp: ReturnType<typeof samlify.IdentityProvider>,
  ) {
    this.entityId = entityId;
    this.ssoUrl = ssoUrl;
    this.keys = keys;
    this.idp = idp;
  }

  /** `keys`: another IdP's (the same IdP signing another way). */
  static async create(
    options: {
      entityId?: string;
      ssoUrl?: string;
      keys?: TestSamlIdp['keys'];
      signatureAlgorithm?: keyof typeof SIGNATURE_ALGORITHMS;
    } = {},
  ): Promise<TestSamlIdp> {
    const entityId = options.entityId ?? 'https://idp.example.test/metadata';
    const ssoUrl = options.ssoUrl ?? 'https://idp.example.test/sso';
    const keys = options.keys ?? (await testKeyPair('Tenantry test IdP'));
    const idp = samlify.IdentityProvider({
      entityID: entityId,
      signingCert: keys.certificate,
      privateKey: keys.privateKey,
      requestSignatureAlgorithm: SIGNATURE_ALGORITHMS[options.signatureAlgorithm ?? 'rsa-sha256'],
      nameIDFormat: [EMAIL_FORMAT],
      singleSignOnService: [
        { Binding: REDIRECT, Location: ssoUrl },
        { Binding: POST, Location: ssoUrl },
      ],
      singleLogoutService: [{ Binding: REDIRECT, Location: `${ssoUrl}/logout` }],
    });
    return new TestSamlIdp(entityId, ssoUrl, keys, idp);
  }

  metadata(): string {
    return this.idp.getMetadata();
  }

  /** The AuthnRequest our SP-initiated login redirected to, read by samlify (ID, ACS URL, issuer). */
  async readRequest(
    location: string,
    sp: TestSp,
  ): Promise<{ id: string; relayState: string | null; acsUrl: string; issuer: string }> {
    const url = new URL(location);
    const parsed = await this.idp.parseLoginRequest(this.sp(sp), 'redirect', {
      query: Object.fromEntries(url.searchParams),
      octetString: url.search.slice(1),
    });
    const request = (parsed.extract as { request: { id: string; assertionConsumerServiceUrl: string }; issuer: string })
      .request;
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    return {
      id: request.id,
      relayState: url.searchParams.get('RelayState'),
      acsUrl: /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)![1],
      issuer: (parsed.extract as { issuer: string }).issuer,
    };
  }

  /** A signed Response (base64, as posted) for `user`, answering `requestId` (null: IdP-initiated). */
  async respond(sp: TestSp, user: TestSamlUser, requestId: string | null, tags: ResponseTags = {}): Promise<string> {
    return Buffer.from(await this.respondXml(sp, user, requestId, tags)).toString('base64');
  }

  /** The same, as XML: for tests that alter a signed response. */
  async respondXml(sp: TestSp, user: TestSamlUser, requestId: string | null, tags: ResponseTags = {}): Promise<string> {
    const now = new Date();
    const later = new Date(now.getTime() + 5 * 60_000).toISOString();
    const attributes = Object.entries(user.attributes ?? {});
    const values: Record<string, string> = {
      ID: `_${crypto.randomUUID()}`,
      AssertionID: `_${crypto.randomUUID()}`,
      Destination: sp.acsUrl,
      Audience: sp.entityId,
      SubjectRecipient: sp.acsUrl,
      Issuer: this.entityId,
      IssueInstant: now.toISOString(),
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      ConditionsNotBefore: now.toISOString(),
      ConditionsNotOnOrAfter: later,
      SubjectConfirmationDataNotOnOrAfter: later,
      NameIDFormat: EMAIL_FORMAT,
      NameID: user.email,
      InResponseTo: requestId ?? '',
      ...tags,
    };
    const attributeStatement = attributes.length
      ? `<saml:AttributeStatement>${attributes
          .map(
            ([name, value]) =>
              `<saml:Attribute Name="${escapeXml(name)}">${[value]
                .flat()
                .map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`)
                .join('')}</saml:Attribute>`,
          )
          .join('')}</saml:AttributeStatement>`
      : '';
    const authn = `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_s${Date.now()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
    const { context } = await this.idp.createLoginResponse(
      this.sp(sp),
      {} as never,
      'post',
      { email: user.email },
      {
        customTagReplacement: (template: string) => {
          let xml = samlify.SamlLib.replaceTagsByValue(template, {
            ...values,
            AuthnStatement: '{AuthnStatement}',
            AttributeStatement: '{AttributeStatement}',
          });
          xml = xml.replace('{AuthnStatement}', authn).replace('{AttributeStatement}', attributeStatement);
          // IdP-initiated: no request to answer, so no InResponseTo attributes at all.
          if (!values.InResponseTo) xml = xml.replace(/ InResponseTo=""/g, '');
          return { id: values.ID, context: xml };
        },
      },
    );
    return Buffer.from(context, 'base64').toString('utf8');
  }

  private sp(sp: TestSp) {
    return samlify.ServiceProvider({
      entityID: sp.entityId,
      assertionConsumerService: [{ Binding: POST, Location: sp.acsUrl }],
      wantAssertionsSigned: true,
      wantMessageSigned: true,
    });
  }
}
