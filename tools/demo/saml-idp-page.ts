import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { TestSamlIdp, type TestSamlUser, type TestSp } from './saml-idp.ts';

const escapeHtml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const form = (action: string, fields: Record<string, string>, body: string) =>
  `<form method="post" action="${escapeHtml(action)}">${Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join('')}${body}</form>`;

/**
 * A loopback login page in front of the test IdP, as a browser meets a real
 * one: GET /sso reads our AuthnRequest and asks who you are; POST /sso/login
 * posts the signed response back to the ACS (HTTP-POST binding).
 */
export class TestIdpPage {
  private server: Server | null = null;
  idp!: TestSamlIdp;
  /** Our SP, once the connection exists. */
  sp: TestSp | null = null;
  /** Extra attributes per email (e.g. names, groups). */
  attributes: Record<string, TestSamlUser['attributes']> = {};

  async start(): Promise<this> {
    this.server = createServer(
      (req, res) => void this.handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://idp'), req, res),
    );
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as { port: number };
    this.idp = await TestSamlIdp.create({
      entityId: `http://127.0.0.1:${port}/metadata`,
      ssoUrl: `http://127.0.0.1:${port}/sso`,
    });
    return this;
  }

  async stop(): Promise<void> {
    this.server?.close();
  }

  private async handle(
    method: string,
    url: URL,
    req: NodeJS.ReadableStream,
    res: import('node:http').ServerResponse,
  ): Promise<void> {
    const html = (status: number, body: string) => {
      res
        .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><html><head><title>Test IdP</title></head><body>${body}</body></html>`);
    };
    try {
      if (method === 'GET' && url.pathname === '/sso' && this.sp) {
        const request = await this.idp.readRequest(url.href, this.sp);
        return html(
          200,
          `<h1>Test IdP sign-in</h1>${form('/sso/login', { requestId: request.id, relayState: request.relayState ?? '' }, '<label>Username <input name="email" type="email" required></label><button type="submit">Sign in at the IdP</button>')}`,
        );
      }
      if (method === 'POST' && url.pathname === '/sso/login' && this.sp) {
        let raw = '';
        for await (const chunk of req) raw += String(chunk);
        const fields = new URLSearchParams(raw);
        const email = fields.get('email') ?? '';
        const samlResponse = await this.idp.respond(
          this.sp,
          { email, attributes: this.attributes[email] },
          fields.get('requestId'),
        );
        return html(
          200,
          `${form(this.sp.acsUrl, { SAMLResponse: samlResponse, RelayState: fields.get('relayState') ?? '' }, '<noscript><button type="submit">Continue</button></noscript>')}<script>document.forms[0].submit()</script>`,
        );
      }
      html(404, 'not found');
    } catch (error) {
      html(400, escapeHtml((error as Error).message));
    }
  }
}
