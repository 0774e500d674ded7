import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage as openPage } from './browser.js';
import { TestData, type TestMember, type TestTenant } from '../../../tools/testing/factories.js';
import { serveBuiltApp, type ServedApp } from './served-app.js';

let served: ServedApp;
let data: TestData;
let browser: Browser;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  served = await serveBuiltApp();
  data = new TestData(served.db.platformUrl);
  acme = await data.aTenant({ slug: 'acme', name: 'Acme Corporation', primaryColor: '#1d4ed8' });
  globex = await data.aTenant({ slug: 'globex', name: 'Globex', primaryColor: '#fbbf24' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await data?.close();
  await served?.stop();
});

const newPage = () => openPage(browser);

async function signIn(page: Page, member: TestMember, tenant = member.tenant.slug): Promise<void> {
  await page.goto(served.url(tenant));
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
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

  it('lets an admin change a member\'s role, which the member\'s open app picks up, and shows it in the audit log', async () => {
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
    await page.waitForFunction((email) => (document.querySelector(`select[aria-label="Role of ${email}"]`) as HTMLSelectElement | null)?.value === 'viewer', member.email);
    // Admins can not make owners: the option is there but disabled.
    expect(await role.locator('option[value="owner"]').isDisabled()).toBe(true);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Action').selectOption('member.role_changed');
    await page.getByRole('cell', { name: `user ${member.email}` }).waitFor();
    expect(await page.getByRole('cell', { name: admin.email }).count()).toBeGreaterThan(0);

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
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();

    await page.getByLabel('Switch tenant').selectOption('globex');
    await page.waitForFunction(() => document.querySelector('[data-testid="tenant-name"]')?.textContent === 'Globex');
    expect(await page.getByTestId('role').textContent()).toBe('admin');
    await page.getByRole('link', { name: 'Members' }).waitFor();
    await page.close();
  });

  it('lists the user\'s devices and signs out another one', async () => {
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
