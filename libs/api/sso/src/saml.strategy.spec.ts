import type { CacheProvider } from '@node-saml/node-saml';
import type { Request, Response } from 'express';
import type { SsoConnectionEntity } from './entities/sso-connection.entity.js';
import { refusalOf, SamlRefusal } from './saml-response.js';
import { type SamlAdmission, SamlStrategy } from './saml.strategy.js';
import type { SsoRequestStore } from './sso-request-store.js';

const ACS = 'https://acme.test/api/sso/c1/acs';

/** A request store that knows no request, and remembers which requests it was asked about. */
function aStore() {
  const asked: string[] = [];
  const requests: CacheProvider = {
    async getAsync(id) {
      asked.push(id);
      return null;
    },
    saveAsync: async () => null,
    removeAsync: async () => null,
  };
  return { asked, store: { requests: () => requests, firstUse: async () => true } as unknown as SsoRequestStore };
}

const admission: SamlAdmission = {
  connection: {
    id: 'c1',
    idpCertificates: ['MIIB'],
    idpEntityId: 'https://idp.test',
    idpSsoUrl: 'https://idp.test/sso',
    allowIdpInitiated: false,
  } as SsoConnectionEntity,
  sp: {
    entityId: 'https://acme.test/api/sso/c1/metadata',
    acsUrl: ACS,
    metadataUrl: '',
    loginUrl: '',
    nameIdFormat: '',
  },
  envelope: { status: null, destination: ACS, issuer: null, inResponseTo: '_q1' },
};

const answer = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" InResponseTo="_q1" Destination="${ACS}"/>`;
const aRequest = (body: unknown, query: Record<string, string> = {}) =>
  ({ method: 'POST', url: '/acs', headers: {}, body, query }) as unknown as Request;

/** A response that records whatever would be written to it. */
function aResponse() {
  const written: string[] = [];
  const res = {
    statusCode: 200,
    setHeader: (name: string) => void written.push(name),
    end: () => void written.push('end'),
    redirect: () => void written.push('redirect'),
  };
  return { written, res: res as unknown as Response };
}

const reasonOf = async (work: Promise<unknown>) =>
  refusalOf(
    await work.then(
      () => new Error('accepted'),
      (error: Error) => error,
    ),
  ).reason;

describe('SamlStrategy', () => {
  it('reads only a posted response: none, or a SAML message in the query string, is refused before Passport and nothing is answered', async () => {
    const strategy = new SamlStrategy(aStore().store);
    const { written, res } = aResponse();
    const posted = Buffer.from(answer).toString('base64');
    for (const req of [
      aRequest({}),
      aRequest(undefined),
      aRequest({ SAMLResponse: posted }, { SAMLResponse: posted }),
      aRequest({ SAMLResponse: posted }, { SAMLRequest: posted }),
    ]) {
      await expect(strategy.read(req, res, admission)).rejects.toBeInstanceOf(SamlRefusal);
    }
    expect(written).toEqual([]);
  });

  it('rejects with what refused a response, for the ACS to record and show, and never answers the browser itself', async () => {
    const { asked, store } = aStore();
    const { written, res } = aResponse();
    expect(
      await reasonOf(
        new SamlStrategy(store).read(
          aRequest({ SAMLResponse: Buffer.from(answer).toString('base64') }),
          res,
          admission,
        ),
      ),
    ).toBe('in_response_to_unknown');
    expect(asked).toEqual(['_q1']);
    expect(written).toEqual([]);
  });

  it("checks InResponseTo against its own app's request store, also when another app in the process built a strategy later", async () => {
    const first = aStore();
    const strategy = new SamlStrategy(first.store);
    const later = aStore();
    new SamlStrategy(later.store);
    await reasonOf(
      strategy.read(aRequest({ SAMLResponse: Buffer.from(answer).toString('base64') }), aResponse().res, admission),
    );
    expect(first.asked).toEqual(['_q1']);
    expect(later.asked).toEqual([]);
  });
});
