import { mkdirSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { TestDnsServer } from '@tenantry/testing/dns-server';
import { TestData, type TestTenant } from '@tenantry/testing/factories';
import { serveBuiltApp, type ServedApp } from './served-app.js';

export const SCREENSHOTS = 'tmp/screenshots';

/** Debian's Chromium (tools/dev-services.sh --browser installs it), headless and quiet. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Tenants' custom domains in tests end in .example: they reach the app on loopback.
      '--host-resolver-rules=MAP *.example 127.0.0.1',
    ],
  });
}

export interface BrowserSuite {
  served: ServedApp;
  /** The DNS server the app verifies domains against. */
  dns: TestDnsServer;
  data: TestData;
  browser: Browser;
  /** Two branded tenants: acme (blue) and globex (yellow). */
  acme: TestTenant;
  globex: TestTenant;
  /** A page in a fresh browser context: its own cookies and storage, like another person's browser. */
  newPage(): Promise<Page>;
  stop(): Promise<void>;
}

/** The file's suite: started before its tests and stopped after them; its fields are there by the first test. */
export function useBrowserSuite(): BrowserSuite {
  const suite = {} as BrowserSuite;
  let started = false;
  beforeAll(async () => {
    Object.assign(suite, await startBrowserSuite());
    started = true;
  });
  afterAll(async () => {
    if (started) await suite.stop();
  });
  return suite;
}

/** The built app on a database of its own, two branded tenants, and a browser. */
export async function startBrowserSuite(env: Record<string, string> = {}): Promise<BrowserSuite> {
  const dns = await new TestDnsServer().start();
  // Webhook receivers of the tests listen on loopback: it counts as public for them (and only it).
  const served = await serveBuiltApp({
    DNS_SERVERS: dns.address,
    WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
    WEBHOOK_RETRY_BASE_MS: '200',
    ...env,
  });
  const data = new TestData(served.db.platformUrl);
  let acme: TestTenant, globex: TestTenant, browser: Browser;
  try {
    acme = await data.aTenant({ slug: 'acme', name: 'Acme Corporation', primaryColor: '#1d4ed8' });
    globex = await data.aTenant({ slug: 'globex', name: 'Globex', primaryColor: '#fbbf24' });
    browser = await launchBrowser();
  } catch (error) {
    // Nothing started may outlive a suite that could not start (a running API keeps Jest waiting).
    await data.close();
    await served.stop();
    await dns.stop();
    throw error;
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    served,
    dns,
    data,
    browser,
    acme,
    globex,
    async newPage() {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      return page;
    },
    async stop() {
      await browser.close();
      await data.close();
      await served.stop();
      await dns.stop();
    },
  };
}

/** A member signs in on their tenant's address and lands on Contacts. */
export async function signInAsMember(
  page: Page,
  served: ServedApp,
  member: { email: string; password: string; tenant: { slug: string } },
): Promise<void> {
  await page.goto(served.url(member.tenant.slug));
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Contacts' }).waitFor();
}

/** The platform operator signs in on the bare address and lands in the console. */
export async function signInAsOperator(
  page: Page,
  served: ServedApp,
  operator: { email: string; password: string },
): Promise<void> {
  await page.goto(served.url());
  await page.getByRole('button', { name: 'Platform operator sign-in' }).click();
  await page.getByLabel('Email').fill(operator.email);
  await page.getByLabel('Password').fill(operator.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Platform console' }).waitFor();
}

/** In the console: Tenants, find the tenant by `search`, open `name`, and pick a tab of its detail. */
export async function openTenantInConsole(page: Page, search: string, name: string, tab?: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).click();
  await page.getByLabel('Find a tenant').fill(search);
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  if (tab) await page.getByRole('tab', { name: tab }).click();
}

/** In the console: one of its pages from the main navigation. */
export async function openConsolePage(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
}

/**
 * Answers the in-app confirm dialog (an alertdialog) with its confirm button
 * `button`, after typing `typed` where it asks for text to confirm.
 */
export async function confirmInDialog(page: Page, button: string, typed?: string): Promise<void> {
  const dialog = page.getByRole('alertdialog');
  if (typed !== undefined) await dialog.getByLabel(`Type ${typed} to confirm`).fill(typed);
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** A toast with `text`, in the notifications region (not the screen reader's copy of it). */
export function toastWith(page: Page, text: string | RegExp): Locator {
  return page.getByRole('region', { name: /^Notifications/ }).getByText(text);
}
