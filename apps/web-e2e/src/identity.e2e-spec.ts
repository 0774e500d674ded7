import type { Page } from 'playwright-core';
import * as samlify from 'samlify';
import { testKeyPair } from '../../../tools/demo/saml-keys.js';
import {
  type BrowserSuite,
  confirmInDialog,
  openTenantInConsole,
  SCREENSHOTS,
  signInAsOperator,
  startBrowserSuite,
  toastWith,
} from './browser.js';
import type { TestData, TestMember, TestTenant } from '@tenantry/testing/factories';
import type { ServedApp } from './served-app.js';

let served: ServedApp;
let data: TestData;
let suite: BrowserSuite;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  suite = await startBrowserSuite();
  ({ served, data, acme, globex } = suite);
});

afterAll(() => suite?.stop());

const newPage = () => suite.newPage();

async function signIn(page: Page, member: TestMember, tenant = member.tenant.slug): Promise<void> {
  await page.goto(served.url(tenant));
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Contacts' }).waitFor();
}

describe('identity in the browser', () => {
  it('keeps the access token out of storage, stays signed in across a reload, and signs out for good', async () => {
    const member = await data.aMember(acme, 'member');
    const page = await newPage();
    await signIn(page, member);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
    expect(stored).not.toMatch(/eyJ/); // no JWT anywhere a script can read
    await page.reload();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('member');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Acme Corporation' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Acme Corporation' }).waitFor();
    await page.close();
  });

  it('shows settings menus by role: members see neither Members nor Audit log', async () => {
    const page = await newPage();
    await signIn(page, await data.aMember(acme, 'member'));
    expect(await page.getByRole('link', { name: 'Members' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.goto(`${served.url('acme')}settings/members`);
    await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    await page.close();
  });

  it("lets an admin change a member's role, which the member's open app picks up, and shows it in the audit log", async () => {
    const admin = await data.aMember(acme, 'admin');
    const member = await data.aMember(acme, 'member');
    const memberPage = await newPage();
    await signIn(memberPage, member);
    expect(await memberPage.getByRole('button', { name: 'New contact' }).count()).toBe(1);

    const page = await newPage();
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    const role = page.getByLabel(`Role of ${member.email}`);
    await role.selectOption('viewer');
    await page.waitForFunction(
      (email) =>
        (document.querySelector(`select[aria-label="Role of ${email}"]`) as HTMLSelectElement | null)?.value ===
        'viewer',
      member.email,
    );
    // Admins can not make owners: the option is there but disabled.
    expect(await role.locator('option[value="owner"]').isDisabled()).toBe(true);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Action').selectOption('member.role_changed');
    // The change's row names the admin as actor (waited for: the filtered list may still be on its way).
    await page
      .getByRole('row')
      .filter({ hasText: `user ${member.email}` })
      .filter({ hasText: 'member.role_changed' })
      .getByRole('cell', { name: admin.email })
      .waitFor();

    // The member's token was issued for the old role: the next request refreshes silently into the new one.
    await memberPage.reload();
    await memberPage.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await memberPage.getByTestId('role').textContent()).toBe('viewer');
    expect(await memberPage.getByRole('button', { name: 'New contact' }).count()).toBe(0);
    await page.close();
    await memberPage.close();
  });

  it('switches between two tenants of the same user on the shared address', async () => {
    const inAcme = await data.aMember(acme, 'member');
    await data.aMember(globex, 'admin', { email: inAcme.email });
    const page = await newPage();
    await page.goto(served.url());
    await page.getByLabel('Tenant').fill('acme');
    await page.getByRole('button', { name: 'Open it here' }).click();
    await page.getByLabel('Email').fill(inAcme.email);
    await page.getByLabel('Password').fill(inAcme.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();

    await page.getByLabel('Switch tenant').selectOption('globex');
    await page.waitForFunction(() => document.querySelector('[data-testid="tenant-name"]')?.textContent === 'Globex');
    expect(await page.getByTestId('role').textContent()).toBe('admin');
    await page.getByRole('link', { name: 'Members' }).waitFor();
    await page.close();
  });

  it("lists the user's devices and signs out another one", async () => {
    const member = await data.aMember(acme, 'member');
    const laptop = await newPage();
    const phone = await newPage();
    await signIn(laptop, member);
    await signIn(phone, member);
    await laptop.getByRole('link', { name: 'Profile' }).click();
    await laptop.getByRole('heading', { name: 'Sessions' }).waitFor();
    await laptop.getByText('this device').waitFor();
    const others = laptop.getByRole('button', { name: /^Sign out Mozilla/ });
    expect(await others.count()).toBe(1);
    await others.click();
    await laptop.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await phone.reload();
    await phone.getByRole('heading', { name: 'Sign in to Acme Corporation' }).waitFor();
    await laptop.close();
    await phone.close();
  });
});

describe('invitations and API keys in the browser', () => {
  it('creates a workspace through the signup wizard, shows the first API key once, and opens it as its owner', async () => {
    const page = await newPage();
    await page.goto(served.url());
    await page.getByRole('button', { name: 'Create a new workspace' }).click();
    await page.getByLabel('Company name').fill('Initech');
    await page.getByLabel('Industry (optional)').selectOption('Software');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Your name').fill('Peter Gibbons');
    await page.getByLabel('Email').fill('peter@initech.test');
    await page.getByLabel('Password').fill('password1234');
    await page.getByRole('button', { name: 'Next' }).click();
    // The address comes from the company name, checked as it stands; a taken one offers free ones.
    await page.getByTestId('slug-status').getByText(`initech.localhost:${served.port} is free.`).waitFor();
    await page.getByLabel('Workspace address').fill('acme');
    await page.getByTestId('slug-status').getByText('acme is taken.').waitFor();
    await page.getByRole('button', { name: 'acme-hq' }).click();
    await page.getByLabel('Workspace address').fill('initech');
    await page
      .getByTestId('slug-status')
      .getByText(/is free/)
      .waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start free' }).click();
    await page.getByText(/most common passwords/).waitFor(); // refused: back at the step with the field, the reason beside it
    await page.getByLabel('Password').fill('a long and unusual passphrase');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start free' }).click();
    // Nothing exists until the mailed link is opened; it creates the workspace and signs its owner in.
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const link = (await served.mailbox.waitFor('peter@initech.test', /create your workspace/)).links[0];
    expect(link).toContain('/confirm-signup#token=');
    await page.goto(link);

    await page.getByRole('heading', { name: 'Initech is ready' }).waitFor();
    await page.getByRole('button', { name: 'Create an API key' }).click();
    const secret = (await page.getByTestId('api-key-secret').textContent())!;
    expect(await page.getByTestId('quick-start').textContent()).toContain(
      `initech.localhost:${served.port}/api/contacts`,
    );
    const res = await fetch(`${served.url()}api/contacts`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    await page.screenshot({ path: `${SCREENSHOTS}/welcome.png`, fullPage: true });
    await page.getByRole('button', { name: 'Open Initech' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await page.getByTestId('tenant-name').textContent()).toBe('Initech');
    expect(await page.getByTestId('role').textContent()).toBe('owner');
    // The link confirmed the address: no banner asks for it.
    expect(await page.getByText('Confirm your email address peter@initech.test.').count()).toBe(0);
    await page.close();
  });

  it("offers to join the company's workspace at signup, and joins it once the mailed link confirms the address", async () => {
    await data.aDomain(globex, 'globex.test');
    await data.query(`update verified_domains set auto_join = true where tenant_id = $1 and domain = 'globex.test'`, [
      globex.id,
    ]);
    const page = await newPage();
    await page.goto(served.url());
    await page.getByRole('button', { name: 'Create a new workspace' }).click();
    await page.getByLabel('Company name').fill('Hank Co');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Email').fill('hank@globex.test');
    await page.getByRole('button', { name: 'Join Globex instead' }).click();
    await page.getByRole('heading', { name: 'Join Globex' }).waitFor();
    expect(await page.getByLabel('Company name').count()).toBe(0);
    await page.getByLabel('Your name').fill('Hank Scorpio');
    await page.getByLabel('Password').fill('a hammock district for everyone');
    await page.getByRole('button', { name: 'Join Globex' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const link = (await served.mailbox.waitFor('hank@globex.test', /Confirm/)).links[0];
    expect(link).toContain(`//globex.localhost:${served.port}/verify-email#token=`);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Welcome to Globex' }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill('hank@globex.test');
    await page.getByLabel('Password').fill('a hammock district for everyone');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('member');
    await page.close();
  });

  it('lets an admin invite someone who accepts in another browser, signs in, and sees the tenant', async () => {
    const admin = await data.aMember(acme, 'admin');
    const page = await newPage();
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('Email to invite').fill('newcomer@example.test');
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('cell', { name: 'newcomer@example.test', exact: true }).waitFor();
    await page.getByRole('row', { name: /newcomer@example\.test member .* pending/ }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/members-invitations.png`, fullPage: true });

    const mail = await served.mailbox.waitFor('newcomer@example.test');
    expect(mail.subject).toContain('Acme Corporation');
    const invitee = await newPage(); // a second browser context: the invitee's own browser
    await invitee.goto(mail.links[0]);
    await invitee.getByRole('heading', { name: 'Join Acme Corporation' }).waitFor();
    expect(invitee.url()).not.toContain('token='); // taken out of the address bar
    await invitee.getByLabel('Your name').fill('Nia Newcomer');
    await invitee.getByLabel('Choose a password').fill('a long and unusual passphrase');
    await invitee.getByRole('button', { name: 'Join Acme Corporation' }).click();
    await invitee.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await invitee.getByTestId('tenant-name').textContent()).toBe('Acme Corporation');
    expect(await invitee.getByTestId('role').textContent()).toBe('member');

    // Later, from a fresh browser: a normal sign-in with the chosen password.
    const later = await newPage();
    await signIn(later, {
      email: 'newcomer@example.test',
      password: 'a long and unusual passphrase',
      tenant: acme,
    } as TestMember);
    expect(await later.getByTestId('tenant-name').textContent()).toBe('Acme Corporation');

    await page.reload();
    await page.getByRole('cell', { name: 'newcomer@example.test', exact: true }).first().waitFor();
    expect(await page.getByText('No open invitations.').count()).toBe(1);
    await Promise.all([page.close(), invitee.close(), later.close()]);
  });

  it('resets a forgotten password through the emailed link', async () => {
    const member = await data.aMember(acme, 'member');
    const page = await newPage();
    await page.goto(served.url('acme'));
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(member.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const mail = await served.mailbox.waitFor(member.email, /Reset/);
    await page.goto(mail.links[0]);
    await page.getByLabel('New password', { exact: true }).fill('my new long passphrase');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await signIn(page, { ...member, password: 'my new long passphrase' });
    await page.close();
  });

  it('creates an API key whose secret is shown once and works against the API', async () => {
    const admin = await data.aMember(acme, 'owner');
    const page = await newPage();
    await signIn(page, admin);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('Nightly export');
    await page.getByLabel('contacts.write').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('api-key-secret').textContent())!;
    expect(secret).toMatch(/^tk_live_/);
    await page.screenshot({ path: `${SCREENSHOTS}/api-key-created.png`, fullPage: true });
    const res = await fetch(`http://127.0.0.1:${served.port}/api/contacts`, { headers: { 'X-API-Key': secret } });
    expect(res.status).toBe(200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('cell', { name: 'Nightly export', exact: true }).waitFor();
    expect(await page.getByTestId('api-key-secret').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke Nightly export' }).click();
    await confirmInDialog(page, 'Revoke key');
    await toastWith(page, 'Nightly export revoked').waitFor();
    await page.getByText('No API keys yet.').waitFor();
    expect(
      (await fetch(`http://127.0.0.1:${served.port}/api/contacts`, { headers: { 'X-API-Key': secret } })).status,
    ).toBe(401);
    await page.close();
  });
});

describe('verified domains in the browser', () => {
  it('claims a domain, shows the TXT record to publish, and verifies it once DNS has it', async () => {
    const page = await newPage();
    await signIn(page, await data.aMember(acme, 'admin'));
    await page.getByRole('link', { name: 'Domains' }).click();
    await page.getByLabel('Domain', { exact: true }).fill('acme-rockets.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    const card = page.getByRole('article', { name: 'acme-rockets.test' });
    const name = (await card.locator('dd code').nth(0).textContent())!;
    const value = (await card.locator('dd code').nth(1).textContent())!;
    expect(name).toBe('_tenantry-verification.acme-rockets.test');
    await card.getByRole('button', { name: 'Check DNS now' }).click();
    await card.getByRole('alert').filter({ hasText: 'no TXT record' }).waitFor();
    suite.dns.setTxt(name, value);
    await card.getByRole('button', { name: 'Check DNS now' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="domain-status"]')?.textContent === 'verified',
    );
    await page.close();
  });
});

describe('impersonation in the browser', () => {
  it('lets a super admin act as a member from the console, under a banner, and end back in the console', async () => {
    const member = await data.aMember(acme, 'member');
    const operator = await data.aSuperAdmin();
    const page = await newPage();
    await signInAsOperator(page, served, operator);
    await openTenantInConsole(page, 'Acme', 'Acme Corporation', 'Members');
    await page.getByRole('button', { name: `Act as ${member.email}` }).click();
    await page.getByLabel('Reason').fill('Ticket #4711: contacts page shows an error');
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    const banner = page.getByTestId('impersonation-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(
      'You are viewing Acme Corporation as member of Acme Corporation — Ticket #4711',
    );
    expect(await banner.getByTestId('impersonation-time-left').textContent()).toMatch(/^\d+ minutes left$/);
    expect(await page.getByTestId('role').textContent()).toBe('member');
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await page.getByRole('link', { name: 'Profile' }).count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/impersonation.png`, fullPage: true });

    await banner.getByRole('button', { name: 'End' }).click();
    await page.getByRole('heading', { name: 'Platform console' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('super_admin');
    expect(await page.getByTestId('impersonation-banner').count()).toBe(0);
    await page.close();
  });
});

describe('auto-join in the browser', () => {
  it('lets an owner open a verified domain to its people, who then join from their profile', async () => {
    await data.aDomain(acme, 'acme-people.test', true);
    const ownerPage = await newPage();
    await signIn(ownerPage, await data.aMember(acme, 'owner'));
    await ownerPage.getByRole('link', { name: 'Domains' }).click();
    const card = ownerPage.getByRole('article', { name: 'acme-people.test' });
    await card.getByLabel(/Let people with a confirmed @acme-people.test email join/).click();
    await card.locator('input[type=checkbox]:checked').waitFor(); // saved, and shown from the server's answer

    const person = await data.aMember(globex, 'member', { email: 'pat@acme-people.test' });
    await data.query('update users set email_verified_at = now() where id = $1', [person.userId]);
    const page = await newPage();
    await signIn(page, person);
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('button', { name: 'Join Acme Corporation' }).click();
    await page.getByText('You joined Acme Corporation').waitFor();
    expect(await page.getByLabel('Switch tenant').locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['Acme Corporation (member)']),
    );
    await Promise.all([ownerPage.close(), page.close()]);
  });
});

describe('plan and seats in the browser', () => {
  it('shows a full plan on Plan & usage, and the seat limit when inviting one more', async () => {
    const small = await data.aTenant({ slug: 'smallco', name: 'Small Co', plan: 'free' });
    const owner = await data.aMember(small, 'owner');
    for (let i = 0; i < 4; i++) await data.aMember(small, 'member');
    // API calls a flush already moved to Postgres today.
    await data.query(
      `insert into usage_counters (tenant_id, metric, day, count) values ($1, 'api_calls', current_date, 42)`,
      [small.id],
    );
    const page = await newPage();
    await signIn(page, owner);
    await page.getByRole('link', { name: 'Plan & usage', exact: true }).click();
    await page.getByRole('heading', { name: 'Free plan' }).waitFor();
    expect(await page.getByTestId('seats').textContent()).toBe('5 of 5 used');
    await page.getByText('Every seat is taken').waitFor();
    expect(await page.getByTestId('usage-api_calls').textContent()).toBe('42 of 10,000');
    await page.getByRole('figure', { name: 'API calls per day' }).locator('.recharts-bar-rectangle').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/plan.png`, fullPage: true });
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('Email to invite').fill('sixth@example.test');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Every seat of your plan is taken').waitFor();
    await page.close();
  });
});

describe('licenses in the browser', () => {
  it('lets the operator issue and suspend a license, after which the tenant works read-only under a banner', async () => {
    const shop = await data.aTenant({ slug: 'shopco', name: 'Shop Co', plan: 'free' });
    const member = await data.aMember(shop, 'member');
    const operator = await data.aSuperAdmin();
    const console_ = await newPage();
    await signInAsOperator(console_, served, operator);
    await openTenantInConsole(console_, 'Shop', 'Shop Co', 'License');
    const issue = console_.getByRole('form', { name: 'Issue a license' });
    await issue.getByLabel('Plan', { exact: true }).selectOption('starter');
    await issue.getByLabel('Valid until (empty: no end)').fill('2030-06-30');
    await issue.getByRole('button', { name: 'Issue license' }).click();
    await console_.getByRole('row', { name: 'License starter active' }).waitFor();
    await console_
      .getByRole('row', { name: 'License starter active' })
      .getByRole('button', { name: 'Suspend' })
      .click();
    await console_.getByRole('row', { name: 'License starter suspended' }).waitFor();
    await console_.screenshot({ path: `${SCREENSHOTS}/licenses.png`, fullPage: true });

    const page = await newPage();
    await signIn(page, member);
    await page.getByText('Shop Co is read-only:').waitFor();
    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Not saved');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByText('This workspace is read-only because its license has expired or is suspended').waitFor();

    // Renewing (a new end date, in place) makes it active again.
    await console_
      .getByRole('row', { name: 'License starter suspended' })
      .getByRole('button', { name: 'Renew' })
      .click();
    const renew = console_.getByRole('form', { name: 'Renew the starter license' });
    await renew.getByLabel('New end date (empty: no end)').fill('2031-06-30');
    await renew.getByRole('button', { name: 'Renew', exact: true }).click();
    await console_.getByRole('row', { name: 'License starter active' }).waitFor();
    await toastWith(console_, 'The starter license is renewed').waitFor();
    await Promise.all([console_.close(), page.close()]);
  });
});

describe('single sign-on settings in the browser', () => {
  it('adds an identity provider from its metadata and shows what to give it', async () => {
    const keys = await testKeyPair('Browser IdP');
    const metadata = samlify
      .IdentityProvider({
        entityID: 'https://idp.example.test/browser',
        signingCert: keys.certificate,
        privateKey: keys.privateKey,
        singleSignOnService: [
          { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: 'https://idp.example.test/sso' },
        ],
      })
      .getMetadata();
    await data.aDomain(acme, 'acme-idp.test');
    const page = await newPage();
    await signIn(page, await data.aMember(acme, 'owner'));
    await page.getByRole('link', { name: 'Single sign-on' }).click();
    const form = page.getByRole('form', { name: 'Add an identity provider' });
    await form.getByLabel('Name', { exact: true }).fill('Okta');
    await form.getByLabel('IdP metadata XML').fill(metadata);
    await form.getByLabel('Email attribute').fill('mail');
    await form.getByRole('button', { name: 'Add a group rule' }).click();
    await form.getByLabel('Group 1', { exact: true }).fill('crm-admins');
    await form.getByLabel('@acme-idp.test').check();
    await form.getByRole('button', { name: 'Add identity provider' }).click();
    const card = page.getByRole('article', { name: 'Okta' });
    await card.getByText('https://idp.example.test/browser').waitFor();
    expect(await card.getByText(/\/api\/sso\/[0-9a-f-]{36}\/acs$/).count()).toBe(1);
    await card.getByText('CN=Browser IdP', { exact: false }).waitFor();
    await card.getByText('member; crm-admins → admin').waitFor();
    await card.getByText('@acme-idp.test').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/sso-settings.png`, fullPage: true });

    await card.getByRole('button', { name: 'Edit settings' }).click();
    const edit = card.getByRole('form', { name: 'Settings of Okta' });
    expect(await edit.getByLabel('Email attribute').inputValue()).toBe('mail');
    await edit.getByLabel('Name', { exact: true }).fill('Okta (production)');
    await edit.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('article', { name: 'Okta (production)' }).getByText('@acme-idp.test').waitFor();
    await page.close();
  });
});
