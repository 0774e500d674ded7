import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { repositoryRoot } from '../../../tools/demo/demo-data.js';
import { type DemoServices, startDemoServices } from '../../../tools/demo/demo-services.js';
import { type ApiProcess, apiEnvironment, freePort, startApi } from '@tenantry/testing/api-process';
import { TestMailbox } from '@tenantry/testing/mailbox';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { confirmInDialog, launchBrowser, SCREENSHOTS } from './browser.js';

// What `npm start` lets a visitor try, on the demo's own data: the seed, the demo IdP and the billing test mode
// wired as tools/demo/serve-demo.ts wires them, the built API serving the built SPA.
let db: TestDatabase;
let mailbox: TestMailbox;
let demo: DemoServices;
let api: ApiProcess;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  mailbox = await new TestMailbox().start();
  const apiPort = await freePort();
  demo = await startDemoServices({
    host: '127.0.0.1',
    baseDomain: 'localhost',
    idpPort: 0,
    billingPort: 0,
    apiOrigin: `http://127.0.0.1:${apiPort}`,
  });
  const env = {
    ...apiEnvironment(db),
    BASE_DOMAIN: 'localhost',
    DEMO_IDP_PORT: new URL(demo.idp.origin).port,
    SMTP_URL: mailbox.url,
    WEB_DIST: 'apps/web/dist',
  };
  // The seed as `npm start` runs it (apps/api/dist/cli/seed.js), on this test's database.
  await promisify(execFile)(process.execPath, ['apps/api/dist/cli/seed.js'], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env, PORT: String(apiPort) },
  });
  api = await startApi({ ...env, ...demo.apiEnvironment }, apiPort);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await demo?.stop();
  await mailbox?.stop();
  await db?.drop();
  if (db) await rm(join(tmpdir(), db.name), { recursive: true, force: true });
});

const acme = () => `http://acme.localhost:${api.port}/`;

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

describe('the demo of npm start', () => {
  it('signs a person of the demo IdP in to acme through "Continue with SSO"', async () => {
    const page = await newPage();
    await page.goto(acme());
    await page.getByLabel('Email').fill('sam@acme.test');
    await page.getByRole('button', { name: 'Continue with SSO' }).click();

    await page.getByRole('heading', { name: 'Demo IdP: sign in as' }).waitFor();
    expect(await page.title()).toBe('Demo IdP (not a real identity provider)');
    await page.getByText('DEMO identity provider').waitFor();
    await page.getByRole('button', { name: 'Sam Rivera (sam@acme.test)' }).click();

    // Just in time: a new member of acme, in the app with acme's demo contacts.
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('member');
    await page.getByText('Sam Rivera').waitFor(); // the name the IdP sent
    await page.getByText('Wile E. Industries').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/demo-sso.png` });
    await page.close();
  });

  it("lets acme's owner upgrade through the test Checkout, see the invoice, add a seat and cancel", async () => {
    const page = await newPage();
    await page.goto(acme());
    await page.getByLabel('Email').fill('owner@acme.test');
    await page.getByLabel('Password').fill('tenantry-demo-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Pro plan' }).waitFor();
    expect(await page.getByTestId('billing-status').textContent()).toBe('no subscription');

    await page.getByRole('button', { name: 'Subscribe to Enterprise (30-day trial)' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    expect(await page.title()).toBe('Checkout (TEST PAYMENTS)');
    await page.getByText('TEST PAYMENTS: the local billing test mode.').waitFor();
    await page.getByText('Enterprise plan', { exact: true }).waitFor();
    await page.getByText('after a free 30-day trial').waitFor();
    await page.getByRole('button', { name: 'Pay (test payment)' }).click();

    // Back in the app: the webhooks have told it.
    await page.getByRole('heading', { name: 'Enterprise plan' }).waitFor();
    await page.getByTestId('billing-status').getByText('trial').waitFor();
    const invoices = page.getByRole('table');
    await invoices.getByRole('row', { name: /TEST-\d+ .* €0\.00 paid/ }).waitFor();

    const seats = (await page.getByTestId('billing-seats').textContent())!;
    const [, used, paid] = /^(\d+) used of (\d+) paid$/.exec(seats)!;
    await page.getByLabel('Paid seats').fill(String(Number(paid) + 1));
    await page.getByRole('button', { name: 'Update seats' }).click();
    await page
      .getByTestId('billing-seats')
      .getByText(`${used} used of ${Number(paid) + 1} paid`)
      .waitFor();

    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await confirmInDialog(page, 'Cancel subscription');
    await page.getByText(/^The subscription ends on .*; the workspace then moves to the free plan\.$/).waitFor();
    await page.getByRole('button', { name: 'Keep the subscription' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/demo-billing.png`, fullPage: true });

    // The customer portal: the test card, the subscription ending, the invoice.
    await page.getByRole('button', { name: 'Manage payment method' }).click();
    await page.getByRole('heading', { name: 'Billing portal' }).waitFor();
    expect(await page.title()).toBe('Billing portal (TEST PAYMENTS)');
    await page.getByText(/^trialing, ends on /).waitFor();
    await page.getByRole('link', { name: /^TEST-\d+$/ }).waitFor();
    await page.getByRole('link', { name: 'Return to the app' }).click();
    await page.getByRole('heading', { name: 'Enterprise plan' }).waitFor();
    await page.close();
  });

  it('has the demo IdP sign in only its own people, only for addresses of this site', async () => {
    const login = (fields: Record<string, string>) =>
      fetch(`${demo.idp.origin}/sso/login`, { method: 'POST', body: new URLSearchParams(fields) });
    const acs = `${acme()}api/sso/any/acs`;
    const foreign = await login({
      email: 'sam@acme.test',
      entityId: 'http://evil.test/sp',
      acsUrl: 'http://evil.test/acs',
    });
    expect(foreign.status).toBe(400);
    const stranger = await login({ email: 'eve@acme.test', entityId: `${acme()}sp`, acsUrl: acs });
    expect(stranger.status).toBe(400);
    expect((await fetch(`${demo.billing!.url}/c/pay/cs_unknown`)).status).toBe(404);
  });
});
