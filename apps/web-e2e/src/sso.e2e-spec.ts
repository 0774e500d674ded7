import type { Page } from 'playwright-core';
import { TestIdpPage } from '../../../tools/demo/saml-idp-page.js';
import { type BrowserSuite, SCREENSHOTS, startBrowserSuite } from './browser.js';

let suite: BrowserSuite;
let idpPage: TestIdpPage;

beforeAll(async () => {
  suite = await startBrowserSuite();
  idpPage = await new TestIdpPage().start();
  const { acme, data, served } = suite;
  await data.aDomain(acme, 'acme.test');
  const { rows } = await data.query<{ id: string }>(
    `insert into sso_connections (tenant_id, name, idp_entity_id, idp_sso_url, idp_certificates, domains, attribute_mapping)
     values ($1, 'Acme IdP', $2, $3, $4, '{acme.test}', '{"firstName": "givenName", "lastName": "sn"}') returning id`,
    [acme.id, idpPage.idp.entityId, idpPage.idp.ssoUrl, [idpPage.idp.keys.certificate]],
  );
  const base = `http://acme.localhost:${served.port}/api/sso/${rows[0].id}`;
  idpPage.sp = { entityId: `${base}/metadata`, acsUrl: `${base}/acs` };
  idpPage.attributes['jane@acme.test'] = { givenName: 'Jane', sn: 'Doe' };
});

afterAll(async () => {
  await suite?.stop();
  await idpPage?.stop();
});

/** The login page → "Continue with SSO" → the IdP's page → back in the app. */
async function continueWithSso(page: Page, email: string): Promise<void> {
  await page.goto(suite.served.url('acme'));
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue with SSO' }).click();
  await page.getByRole('heading', { name: 'Test IdP sign-in' }).waitFor();
  await page.getByLabel('Username').fill(email);
  await page.getByRole('button', { name: 'Sign in at the IdP' }).click();
}

describe('single sign-on in the browser', () => {
  it('signs a new person in through their IdP as a just-in-time member, then again as the same person', async () => {
    const page = await suite.newPage();
    await continueWithSso(page, 'jane@acme.test');
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('member');
    await page.screenshot({ path: `${SCREENSHOTS}/sso-signed-in.png` });
    await page.close();

    const again = await suite.newPage();
    await continueWithSso(again, 'jane@acme.test');
    await again.getByRole('heading', { name: 'Contacts' }).waitFor();
    await again.close();
    const users = await suite.data.query<{ display_name: string; n: number }>(
      `select u.display_name, (select count(*)::int from memberships m where m.user_id = u.id) as n from users u where email = 'jane@acme.test'`,
    );
    expect(users.rows).toEqual([{ display_name: 'Jane Doe', n: 1 }]);
  });

  it("lets an owner's IdP sign them in only after they confirm the mailed link with a click", async () => {
    const owner = await suite.data.aMember(suite.acme, 'owner', { email: 'olivia@acme.test' });
    const page = await suite.newPage();
    await continueWithSso(page, owner.email);
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const link = (await suite.served.mailbox.waitFor(owner.email, /^Confirm signing in/)).links.find((l) =>
      l.includes('/sso/confirm-link'),
    )!;

    // Opening the link confirms nothing: it says what would be confirmed and waits for the person.
    await page.goto(link);
    await page.getByRole('heading', { name: 'Sign in to Acme Corporation through Acme IdP?' }).waitFor();
    expect(await page.getByText(idpPage.idp.entityId).count()).toBe(1);
    const pending = await suite.data.query<{ confirmed_at: Date | null }>(
      'select confirmed_at from sso_account_links where user_id = $1',
      [owner.userId],
    );
    expect(pending.rows).toEqual([{ confirmed_at: null }]);
    await page.screenshot({ path: `${SCREENSHOTS}/sso-confirm-link.png` });
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Confirmed' }).waitFor();

    await page.getByRole('button', { name: 'Continue with Acme IdP' }).click();
    await page.getByRole('heading', { name: 'Test IdP sign-in' }).waitFor();
    await page.getByLabel('Username').fill(owner.email);
    await page.getByRole('button', { name: 'Sign in at the IdP' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('owner');
    await page.close();
  });

  it('explains a refused sign-in in plain words', async () => {
    const page = await suite.newPage();
    await page.goto(suite.served.url('acme'));
    await page.getByLabel('Email').fill('eve@evil.test');
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await page.getByText('No enabled single sign-on connection serves that email domain here.').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/sso-not-configured.png` });
    await page.close();

    // The IdP vouches for someone of a domain Acme never verified: refused at the ACS.
    const refused = await suite.newPage();
    await refused.goto(suite.served.url('acme'));
    await refused.getByLabel('Email').fill('joe@acme.test');
    await refused.getByRole('button', { name: 'Continue with SSO' }).click();
    await refused.getByRole('heading', { name: 'Test IdP sign-in' }).waitFor();
    await refused.getByLabel('Username').fill('eve@evil.test');
    await refused.getByRole('button', { name: 'Sign in at the IdP' }).click();
    await refused.getByRole('heading', { name: 'Single sign-on did not work' }).waitFor();
    expect(await refused.getByRole('alert').textContent()).toContain(
      "Your email address's domain is not one this workspace accepts",
    );
    await refused.screenshot({ path: `${SCREENSHOTS}/sso-error.png` });
    await refused.close();
  });

  it('sends a member of an SSO-required domain from the password form to their IdP', async () => {
    const { acme, data } = suite;
    const member = await data.aMember(acme, 'member', { email: 'pat@acme.test' });
    await data.query(`update verified_domains set sso_required = true where tenant_id = $1 and domain = 'acme.test'`, [
      acme.id,
    ]);
    const page = await suite.newPage();
    await page.goto(suite.served.url('acme'));
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('This workspace requires single sign-on for your email address').waitFor();
    await page.getByRole('button', { name: 'Continue with SSO' }).first().click();
    await page.getByRole('heading', { name: 'Test IdP sign-in' }).waitFor();
    await page.getByLabel('Username').fill(member.email);
    await page.getByRole('button', { name: 'Sign in at the IdP' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await page.close();
  });
});
