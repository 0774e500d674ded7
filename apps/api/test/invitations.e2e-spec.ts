import type { AuthTokenResponse, ErrorBody, Invitation, InvitationPreview } from '@tenantry/contracts';
import type { TestMember, TestTenant } from '@tenantry/testing/factories';
import { refreshCookieOf, signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

let t: TestApp;
let tenant: TestTenant;
let admin: TestMember;
beforeAll(async () => {
  t = await startTestApp();
  tenant = await t.data.aTenant({ name: 'Acme Corporation' });
  admin = await t.data.aMember(tenant, 'admin');
});
afterAll(() => t.close());

const host = () => `${tenant.slug}.localhost`;
async function asAdmin(member = admin) {
  const { accessToken } = await signIn(t, member);
  return {
    post: (path: string, body: object = {}) =>
      t.http.post(`/api${path}`).set('Host', host()).set('Authorization', `Bearer ${accessToken}`).send(body),
    get: (path: string) => t.http.get(`/api${path}`).set('Host', host()).set('Authorization', `Bearer ${accessToken}`),
    delete: (path: string) =>
      t.http.delete(`/api${path}`).set('Host', host()).set('Authorization', `Bearer ${accessToken}`),
  };
}
/** The token of the newest invitation link mailed to `email`. */
async function linkTokenFor(email: string, count = 1): Promise<string> {
  for (let i = 0; i < 50 && t.mailbox.to(email).length < count; i++) await new Promise((r) => setTimeout(r, 100));
  const mails = t.mailbox.to(email);
  expect(mails).toHaveLength(count);
  const link = mails.at(-1)!.links[0];
  expect(link).toMatch(new RegExp(`^http://${tenant.slug}\\.localhost:3000/accept-invitation#token=`));
  return new URL(link).hash.slice('#token='.length);
}
const accept = (body: object) => t.http.post('/api/invitations/accept').set('Host', host()).send(body);

describe('invitations', () => {
  it('mail a single-use link; a new person sets a password, joins with the role, and is signed in', async () => {
    const client = await asAdmin();
    const res = await client.post('/invitations', { email: 'Grace@Example.test', role: 'member' }).expect(201);
    expect(res.body).toMatchObject({ email: 'grace@example.test', role: 'member', status: 'pending' });

    const mail = await t.mailbox.waitFor('grace@example.test');
    expect(mail.subject).toMatch(/invited you to Acme Corporation/);
    expect(mail.from).toContain('Acme Corporation via Tenantry');
    const token = await linkTokenFor('grace@example.test');

    const preview = (await t.http.post('/api/invitations/preview').set('Host', host()).send({ token }).expect(200))
      .body as InvitationPreview;
    expect(preview).toMatchObject({
      email: 'grace@example.test',
      role: 'member',
      existingUser: false,
      tenant: { name: 'Acme Corporation' },
    });

    const weak = await accept({ token, displayName: 'Grace', password: 'password1234' }).expect(400);
    expect((weak.body as ErrorBody).error.details?.fields).toEqual([
      { field: 'password', messages: [expect.stringMatching(/common/)] },
    ]);

    const joined = await accept({
      token,
      displayName: 'Grace Hopper',
      password: 'a long and unusual passphrase',
    }).expect(200);
    expect(joined.body as AuthTokenResponse).toMatchObject({
      role: 'member',
      tenant: { id: tenant.id },
      user: { email: 'grace@example.test', displayName: 'Grace Hopper' },
    });
    expect(refreshCookieOf(joined)).toMatch(/^tenantry_refresh=.+/);
    await t.http
      .post('/api/auth/login')
      .set('Host', host())
      .send({ email: 'grace@example.test', password: 'a long and unusual passphrase' })
      .expect(200);

    expect(
      codeOf(await accept({ token, displayName: 'Mallory', password: 'another long passphrase' }).expect(410)),
    ).toBe('INVITATION_USED');
    const { rows } = await t.data.query<{ email_verified_at: Date | null }>(
      `select email_verified_at from users where email = 'grace@example.test'`,
    );
    expect(rows[0].email_verified_at).not.toBeNull();
    const list = (await client.get('/invitations').expect(200)).body as Invitation[];
    expect(list.map((i) => i.email)).not.toContain('grace@example.test');
  });

  it('add an existing account to the tenant once it gives its password', async () => {
    const other = await t.data.aTenant();
    const existing = await t.data.aMember(other, 'owner');
    await (await asAdmin()).post('/invitations', { email: existing.email, role: 'viewer' }).expect(201);
    const token = await linkTokenFor(existing.email);
    expect(
      (
        (await t.http.post('/api/invitations/preview').set('Host', host()).send({ token }).expect(200))
          .body as InvitationPreview
      ).existingUser,
    ).toBe(true);
    expect(codeOf(await accept({ token, password: 'not their password' }).expect(401))).toBe('INVALID_CREDENTIALS');
    const joined = await accept({ token, password: existing.password }).expect(200);
    expect((joined.body as AuthTokenResponse).role).toBe('viewer');
    const { rows } = await t.data.query<{ role: string }>(
      'select role from memberships where user_id = $1 order by role',
      [existing.userId],
    );
    expect(rows.map((r) => r.role)).toEqual(['owner', 'viewer']); // still owner of the other tenant
  });

  it('refuse an expired link with INVITATION_EXPIRED, and an unknown one with INVITATION_INVALID', async () => {
    await (await asAdmin()).post('/invitations', { email: 'late@example.test', role: 'member' }).expect(201);
    const token = await linkTokenFor('late@example.test');
    await t.data.query(
      `update invitations set expires_at = now() - interval '1 minute' where email = 'late@example.test'`,
    );
    expect(
      codeOf(await accept({ token, displayName: 'Late', password: 'a long and unusual passphrase' }).expect(410)),
    ).toBe('INVITATION_EXPIRED');
    expect(
      codeOf(
        await accept({
          token: 'x'.repeat(43),
          displayName: 'Nobody',
          password: 'a long and unusual passphrase',
        }).expect(404),
      ),
    ).toBe('INVITATION_INVALID');
    const list = (await (await asAdmin()).get('/invitations').expect(200)).body as Invitation[];
    expect(list.find((i) => i.email === 'late@example.test')?.status).toBe('expired');
  });

  it('resend with a new link that replaces the old one; revoke ends the link', async () => {
    const client = await asAdmin();
    const invitation = (await client.post('/invitations', { email: 'twice@example.test', role: 'member' }).expect(201))
      .body as Invitation;
    const first = await linkTokenFor('twice@example.test');
    await client.post(`/invitations/${invitation.id}/resend`).expect(200);
    const second = await linkTokenFor('twice@example.test', 2);
    expect(second).not.toBe(first);
    expect(
      codeOf(await accept({ token: first, displayName: 'T', password: 'a long and unusual passphrase' }).expect(404)),
    ).toBe('INVITATION_INVALID');
    await client.delete(`/invitations/${invitation.id}`).expect(204);
    expect(
      codeOf(await accept({ token: second, displayName: 'T', password: 'a long and unusual passphrase' }).expect(404)),
    ).toBe('INVITATION_INVALID');
    expect(codeOf(await client.delete(`/invitations/${invitation.id}`).expect(404))).toBe('INVITATION_NOT_FOUND');
    const { rows } = await t.data.query<{ action: string }>(
      `select action from audit_events where tenant_id = $1 and target_label = 'twice@example.test' order by created_at`,
      [tenant.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['invitation.sent', 'invitation.sent', 'invitation.revoked']);
  });

  it('are refused for existing members, owner roles by admins, and members and viewers', async () => {
    const client = await asAdmin();
    expect(codeOf(await client.post('/invitations', { email: admin.email, role: 'member' }).expect(409))).toBe(
      'ALREADY_MEMBER',
    );
    expect(codeOf(await client.post('/invitations', { email: 'boss@example.test', role: 'owner' }).expect(403))).toBe(
      'FORBIDDEN',
    );
    const member = await asAdmin(await t.data.aMember(tenant, 'member'));
    expect(codeOf(await member.post('/invitations', { email: 'x@example.test', role: 'viewer' }).expect(403))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await client.post('/invitations', { email: 'not-an-email', role: 'chief' }).expect(400))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('accepts once when two tabs accept the same link at the same time', async () => {
    await (await asAdmin()).post('/invitations', { email: 'race@example.test', role: 'member' }).expect(201);
    const token = await linkTokenFor('race@example.test');
    const body = { token, displayName: 'Racer', password: 'a long and unusual passphrase' };
    const results = await Promise.all([accept(body), accept(body)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    const { rows } = await t.data.query<{ n: number }>(
      `select count(*)::int as n from memberships m join users u on u.id = m.user_id where u.email = 'race@example.test'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it("work only on the inviting tenant's address", async () => {
    await (await asAdmin()).post('/invitations', { email: 'elsewhere@example.test', role: 'member' }).expect(201);
    const token = await linkTokenFor('elsewhere@example.test');
    const other = await t.data.aTenant();
    const res = await t.http
      .post('/api/invitations/accept')
      .set('Host', `${other.slug}.localhost`)
      .send({ token, displayName: 'E', password: 'a long and unusual passphrase' })
      .expect(404);
    expect(codeOf(res)).toBe('INVITATION_INVALID');
  });
});
