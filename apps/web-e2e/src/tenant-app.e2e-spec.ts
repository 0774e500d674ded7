import type { Page } from 'playwright-core';
import { type BrowserSuite, SCREENSHOTS, signInAsOperator, startBrowserSuite, toastWith } from './browser.js';
import type { TestData, TestMember, TestTenant } from '@tenantry/testing/factories';
import type { ServedApp } from './served-app.js';

let served: ServedApp;
let data: TestData;
let suite: BrowserSuite;
let acme: TestTenant;
let globex: TestTenant;
let acmeMember: TestMember;
let globexMember: TestMember;

beforeAll(async () => {
  suite = await startBrowserSuite();
  ({ served, data, acme, globex } = suite);
  acmeMember = await data.aMember(acme, 'member');
  globexMember = await data.aMember(globex, 'admin');
  await data.contacts(globex, 2, (i) => `Globex customer ${i}`);
});

afterAll(() => suite?.stop());

const newPage = () => suite.newPage();

async function signIn(page: Page, member: TestMember): Promise<void> {
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Contacts' }).waitFor();
}

const brandPrimary = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim());

describe('tenant app in the browser', () => {
  it('signs a member in on acme.localhost, in Acme colors, and adds a contact', async () => {
    const page = await newPage();
    await page.goto(served.url('acme'));
    await page.getByRole('heading', { name: 'Sign in to Acme Corporation' }).waitFor();
    expect(await brandPrimary(page)).toBe('#1d4ed8');
    expect(await page.title()).toBe('Acme Corporation');

    await signIn(page, acmeMember);
    expect(await page.getByTestId('tenant-name').textContent()).toBe('Acme Corporation');
    expect(await page.getByTestId('role').textContent()).toBe('member');
    await page.getByText('No contacts yet.').waitFor();

    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Wile E. Coyote');
    await page.getByLabel('Email', { exact: true }).fill('wile@acme.test');
    await page.getByLabel('Company', { exact: true }).fill('Acme Rockets');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('cell', { name: 'Wile E. Coyote' }).waitFor();
    await toastWith(page, 'Wile E. Coyote added').waitFor(); // the outcome, announced politely
    expect(await page.getByRole('cell', { name: 'Acme Rockets' }).count()).toBe(1);
    // Members may write but not delete.
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/acme-contacts.png`, fullPage: true });
    await page.close();
  });

  it('imports contacts from a CSV file with progress, and lists the rows it refused', async () => {
    const page = await newPage();
    await page.goto(served.url('acme'));
    await signIn(page, await data.aMember(acme, 'member'));
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const csv = [
      'name,email,company',
      'Imported One,one@example.test,Acme Labs',
      'Imported Bad,not-an-email,',
      'Imported Two,,',
    ].join('\n');
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-status').getByText('Imported 2 of 3 rows; 1 refused.').waitFor();
    const refused = page.getByRole('table', { name: 'Refused rows' });
    expect(await refused.getByRole('row').nth(1).textContent()).toBe('3emailemail must be an email');
    await page.screenshot({ path: `${SCREENSHOTS}/import.png`, fullPage: true });
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('cell', { name: 'Imported One' }).waitFor();
    await page.getByRole('cell', { name: 'Imported Two' }).waitFor();
    await page.close();
  });

  it('shows another tenant its own contacts and colors, and not the new Acme contact', async () => {
    const page = await newPage();
    await page.goto(served.url('globex'));
    await page.getByRole('heading', { name: 'Sign in to Globex' }).waitFor();
    expect(await brandPrimary(page)).toBe('#fbbf24');
    await signIn(page, globexMember);
    await page.getByRole('cell', { name: 'Globex customer 0' }).waitFor();
    expect(await page.getByRole('cell', { name: 'Wile E. Coyote' }).count()).toBe(0);
    await page.getByLabel('Search').fill('Wile');
    await page.getByText('No contact matches your search.').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/globex-contacts.png`, fullPage: true });
    await page.close();
  });

  it('refuses an Acme login on the Globex address', async () => {
    const page = await newPage();
    await page.goto(served.url('globex'));
    await page.getByLabel('Email').fill(acmeMember.email);
    await page.getByLabel('Password').fill(acmeMember.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' }).waitFor();
    await page.close();
  });

  it('lets a visitor of the bare address pick a tenant and sign in there', async () => {
    const page = await newPage();
    await page.goto(served.url());
    await page.getByRole('heading', { name: 'Choose your workspace' }).waitFor();
    await page.getByLabel('Tenant').fill('acme');
    await page.getByRole('button', { name: 'Open it here' }).click();
    await page.getByRole('heading', { name: 'Sign in to Acme Corporation' }).waitFor();
    expect(await brandPrimary(page)).toBe('#1d4ed8');
    await signIn(page, acmeMember);
    await page.getByRole('cell', { name: 'Wile E. Coyote' }).waitFor();

    // Going back to the picker on the same address shows nothing of Acme, not even for a moment.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { titles: string[] }).titles = seen;
      new MutationObserver(() => seen.push(document.title)).observe(document, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Choose another tenant' }).click();
    await page.getByRole('heading', { name: 'Choose your workspace' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { titles: string[] }).titles)).not.toContain(
      'Acme Corporation',
    );
    expect(await brandPrimary(page)).toBe('#4f46e5');
    await page.close();
  });

  it('lets the platform operator sign in on the bare address', async () => {
    const operator = await data.aSuperAdmin();
    const page = await newPage();
    await signInAsOperator(page, served, operator);
    expect(await page.getByTestId('role').textContent()).toBe('super_admin');
    await page.close();
  });

  it('tells a visitor of an unknown tenant address that there is no such tenant', async () => {
    const page = await newPage();
    await page.goto(served.url('nobody-here'));
    await page.getByRole('alert').filter({ hasText: 'There is no tenant at this address.' }).waitFor();
    await page.close();
  });
});
