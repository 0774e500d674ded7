import type { AuthTokenResponse } from '@tenantry/contracts';
import type { Response } from 'supertest';
import type { TestMember } from '@tenantry/testing/factories';
import type { TestApp } from './test-app.js';

/** The refresh cookie a response set, as a `Cookie` header value (empty string when it was cleared). */
export function refreshCookieOf(res: Response): string | undefined {
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.find((c) => c.startsWith('tenantry_refresh='));
  return cookie?.split(';')[0];
}

export interface SignedInClient {
  accessToken: string;
  cookie: string;
  body: AuthTokenResponse;
}

/** Logs a member in on their tenant's subdomain and keeps the access token and refresh cookie. */
export async function signIn(
  t: TestApp,
  member: Pick<TestMember, 'email' | 'password' | 'tenant'>,
  headers: Record<string, string> = {},
): Promise<SignedInClient> {
  const res = await t.http
    .post('/api/auth/login')
    .set('Host', `${member.tenant.slug}.localhost`)
    .set(headers)
    .send({ email: member.email, password: member.password })
    .expect(200);
  const body = res.body as AuthTokenResponse;
  return { accessToken: body.accessToken, cookie: refreshCookieOf(res)!, body };
}

/** A new super admin, signed in on the bare address (the platform console): their access token. */
export async function signInOperator(t: TestApp): Promise<string> {
  const root = await t.data.aSuperAdmin();
  return (await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200)).body
    .accessToken as string;
}

/** The token of an emailed link (`…#token=…`). */
export const linkTokenOf = (link: string) => new URL(link).hash.replace('#token=', '');

/** Signs up through the wizard's request, opens the mailed link, and returns the confirmation's answer (the new owner signed in). */
export async function signUp(t: TestApp, fields: Record<string, unknown> & { email: string }): Promise<Response> {
  await t.http.post('/api/auth/signup').send(fields).expect(202);
  const mail = await t.mailbox.waitFor(
    fields.email,
    /create your workspace/,
    t.mailbox.to(fields.email).filter((m) => /create your workspace/.test(m.subject)).length,
  );
  return t.http
    .post('/api/auth/signup/confirm')
    .send({ token: linkTokenOf(mail.links[0]) })
    .expect(201);
}
