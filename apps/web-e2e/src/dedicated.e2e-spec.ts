import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { apiEnvironment } from '@tenantry/testing/api-process';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { type BrowserSuite, openConsolePage, SCREENSHOTS, signInAsOperator, startBrowserSuite } from './browser.js';

const KEY = 'browser-dedicated-databases-key-0123456789';
let suite: BrowserSuite;
let dedicated: TestDatabase;

/** `npm run tenant-db -- …` as an operator runs it, against the served app's shared database. */
async function tenantDb(args: string[]): Promise<string> {
  const env = { ...process.env, ...apiEnvironment(suite.served.db), DATABASE_SECRETS_KEY: KEY };
  return (await promisify(execFile)('node', ['apps/api/dist/cli/tenant-db.js', ...args], { env })).stdout;
}

beforeAll(async () => {
  suite = await startBrowserSuite({ DATABASE_SECRETS_KEY: KEY });
  dedicated = await createTestDatabase(undefined, { migrated: false });
  const roles = [
    '--owner-url',
    dedicated.ownerUrl,
    '--app-url',
    dedicated.appUrl,
    '--platform-url',
    dedicated.platformUrl,
  ];
  await tenantDb(['prepare', '--superuser-url', dedicated.superuserUrl, ...roles]);
  expect(await tenantDb(['add', 'vault-eu', ...roles])).toMatch(/^Registered vault-eu \(\d+ migrations applied\)/);
});
afterAll(async () => {
  await suite?.stop();
  await dedicated?.drop();
});

describe('dedicated databases in the console', () => {
  it('creates a tenant in a dedicated database and shows where it lives', async () => {
    const page = await suite.newPage();
    await signInAsOperator(page, suite.served, await suite.data.aSuperAdmin());
    await openConsolePage(page, 'Tenants');
    await page.getByRole('button', { name: 'New tenant' }).click();
    const form = page.getByRole('form', { name: 'New tenant' });
    await form.getByLabel('Name').fill('Vault Bank');
    await form.getByLabel('Address').fill('vault-bank');
    await form.getByLabel('Owner email').fill('cso@vault-bank.test');
    await form.getByLabel('Database').selectOption('vault-eu');
    await form.getByRole('button', { name: 'Create and invite' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vault Bank' }).waitFor();
    await page.getByText('dedicated: vault-eu').waitFor();

    // Its invitation lives in the dedicated database only.
    const { rows } = await suite.data.query<{ id: string }>(`select id from tenants where slug = 'vault-bank'`);
    const inShared = await suite.data.query('select 1 from invitations where tenant_id = $1', [rows[0].id]);
    expect(inShared.rows).toEqual([]);

    await openConsolePage(page, 'Tenants');
    await page.getByLabel('Find a tenant').fill('vault');
    await page.getByTestId('tenant-total').getByText('1 tenant').waitFor();
    await page
      .getByRole('table', { name: 'Tenants' })
      .getByRole('row', { name: /Vault Bank.*dedicated: vault-eu/ })
      .waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/console-dedicated.png`, fullPage: true });
    await page.close();
  });
});
