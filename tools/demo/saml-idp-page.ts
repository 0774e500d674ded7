import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { inflateRawSync } from 'node:zlib';
import { TestSamlIdp, type TestSamlUser, type TestSp } from './saml-idp.ts';

const escapeHtml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const form = (action: string, fields: Record<string, string>, body: string) =>
  `<form method="post" action="${escapeHtml(action)}">${Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join('')}${body}</form>`;

/** Someone the demo IdP offers to sign in as (sent as the NameID and `firstName`/`lastName` attributes). */
export interface DemoPerson {
  email: string;
  firstName: string;
  lastName: string;
}

export interface IdpPageOptions {
  /** Where it listens: 127.0.0.1 and a free port by default. */
  host?: string;
  port?: number;
  /** The host name in its entity ID and SSO URL (the listening address by default). */
  publicHost?: string;
  /** A kept key pair (the demo's, which its tenant's connection pins); a fresh one by default. */
  keys?: TestSamlIdp['keys'];
  /**
   * The demo: a page marked as such, listing these people to pick from, answering any service provider whose
   * ACS is on `publicHost` or a subdomain of it. Without it (tests), an email field, for `sp` only.
   */
  people?: DemoPerson[];
}

const DEMO_BANNER =
  '<p role="note" style="background:#fde68a;color:#1f2937;padding:12px;border:2px solid #b45309;font-weight:bold">' +
  'DEMO identity provider: it signs in whoever you pick, without a password. It only exists to try single sign-on ' +
  'locally; a real company uses its own IdP (Okta, Entra ID, Google Workspace…).</p>';

/**
 * A loopback login page in front of the SAML IdP, as a browser meets a real
 * one: GET /sso reads our AuthnRequest and asks who you are; POST /sso/login
 * posts the signed response back to the ACS (HTTP-POST binding). The tests'
 * IdP, and `npm start`'s demo IdP (with `people`).
 */
export class TestIdpPage {
  private server: Server | null = null;
  private readonly options: IdpPageOptions;
  idp!: TestSamlIdp;
  /** Our SP, once the connection exists (tests). */
  sp: TestSp | null = null;
  /** Extra attributes per email (e.g. names, groups). */
  attributes: Record<string, TestSamlUser['attributes']> = {};

  constructor(options: IdpPageOptions = {}) {
    this.options = options;
    for (const p of options.people ?? []) this.attributes[p.email] = { firstName: p.firstName, lastName: p.lastName };
  }

  get origin(): string {
    return new URL(this.idp.ssoUrl).origin;
  }

  async start(): Promise<this> {
    const { host = '127.0.0.1', port = 0 } = this.options;
    this.server = createServer(
      (req, res) => void this.handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://idp'), req, res),
    );
    this.server.listen(port, host);
    await Promise.race([
      once(this.server, 'listening'),
      once(this.server, 'error').then(([error]) => Promise.reject(error)),
    ]);
    const address = this.server.address() as { port: number };
    const origin = `http://${this.options.publicHost ?? host}:${address.port}`;
    this.idp = await TestSamlIdp.create({
      entityId: `${origin}/metadata`,
      ssoUrl: `${origin}/sso`,
      keys: this.options.keys,
    });
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }

  /** The SP an AuthnRequest names, when the demo answers it. */
  private spOf(url: URL): TestSp | null {
    if (this.sp) return this.sp;
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    return this.demoSp(
      /<(?:\w+:)?Issuer[^>]*>([^<]+)</.exec(xml)?.[1],
      /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1],
    );
  }

  /** The demo answers service providers on its own host name (or a subdomain: the tenants' addresses) only. */
  private demoSp(entityId: string | null | undefined, acsUrl: string | null | undefined): TestSp | null {
    const publicHost = this.options.publicHost;
    if (!this.options.people || !publicHost || !entityId || !acsUrl || !URL.canParse(acsUrl)) return null;
    const host = new URL(acsUrl).hostname;
    return host === publicHost || host.endsWith(`.${publicHost}`) ? { entityId, acsUrl } : null;
  }

  private async handle(
    method: string,
    url: URL,
    req: NodeJS.ReadableStream,
    res: import('node:http').ServerResponse,
  ): Promise<void> {
    const demo = this.options.people;
    const title = demo ? 'Demo IdP (not a real identity provider)' : 'Test IdP';
    const html = (status: number, body: string) => {
      res
        .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:2rem auto">${demo ? DEMO_BANNER : ''}${body}</body></html>`,
        );
    };
    try {
      if (method === 'GET' && url.pathname === '/metadata') {
        res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' }).end(this.idp.metadata());
        return;
      }
      const sp = method === 'GET' && url.pathname === '/sso' ? this.spOf(url) : this.sp;
      if (method === 'GET' && url.pathname === '/sso' && sp) {
        const request = await this.idp.readRequest(url.href, sp);
        const fields = {
          requestId: request.id,
          relayState: request.relayState ?? '',
          ...(demo && { entityId: sp.entityId, acsUrl: sp.acsUrl }),
        };
        if (demo)
          return html(
            200,
            `<h1>Demo IdP: sign in as</h1>${demo
              .map((p) =>
                form(
                  '/sso/login',
                  { ...fields, email: p.email },
                  `<button type="submit">${escapeHtml(`${p.firstName} ${p.lastName} (${p.email})`)}</button>`,
                ),
              )
              .join('')}<p>Signing in for ${escapeHtml(sp.entityId)}</p>`,
          );
        return html(
          200,
          `<h1>Test IdP sign-in</h1>${form('/sso/login', fields, '<label>Username <input name="email" type="email" required></label><button type="submit">Sign in at the IdP</button>')}`,
        );
      }
      if (method === 'POST' && url.pathname === '/sso/login') {
        let raw = '';
        for await (const chunk of req) raw += String(chunk);
        const fields = new URLSearchParams(raw);
        const email = fields.get('email') ?? '';
        // The demo answers the SP the request named (checked again: the form came back from the browser).
        const target = demo ? this.demoSp(fields.get('entityId'), fields.get('acsUrl')) : this.sp;
        if (!target || (demo && !demo.some((p) => p.email === email)))
          return html(400, 'unknown service provider or person');
        const samlResponse = await this.idp.respond(
          target,
          { email, attributes: this.attributes[email] },
          fields.get('requestId'),
        );
        return html(
          200,
          `${form(target.acsUrl, { SAMLResponse: samlResponse, RelayState: fields.get('relayState') ?? '' }, '<noscript><button type="submit">Continue</button></noscript>')}<script>document.forms[0].submit()</script>`,
        );
      }
      html(404, 'not found');
    } catch (error) {
      html(400, escapeHtml((error as Error).message));
    }
  }
}
