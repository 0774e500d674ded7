import type { Page } from 'playwright-core';
import { solidPng } from '@tenantry/testing/images';
import type { TestMember } from '@tenantry/testing/factories';
import {
  type BrowserSuite,
  confirmInDialog,
  SCREENSHOTS,
  signInAsMember,
  startBrowserSuite,
  toastWith,
} from './browser.js';

let suite: BrowserSuite;
let admin: TestMember;
beforeAll(async () => {
  suite = await startBrowserSuite();
  admin = await suite.data.aMember(suite.acme, 'admin');
});
afterAll(() => suite?.stop());

const headerColor = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.querySelector('.shell-header')!).backgroundColor);

/**
 * Records, from the first script of the page on: when `--brand-primary` first
 * held `color` on :root, and the page's state at its first contentful paint.
 */
async function watchFirstPaint(page: Page, color: string): Promise<void> {
  await page.addInitScript((expected: string) => {
    const w = window as unknown as Record<string, unknown>;
    const primary = () => document.documentElement.style.getPropertyValue('--brand-primary');
    new PerformanceObserver((list) => {
      const fcp = list.getEntries().find((e) => e.name === 'first-contentful-paint');
      if (!fcp) return;
      w.firstPaint = {
        at: fcp.startTime,
        primary: getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim(),
        title: document.title,
        favicon: document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? null,
      };
    }).observe({ type: 'paint', buffered: true });
    // This runs before the <html> element exists: watch the whole document for its style.
    new MutationObserver(() => {
      if (w.brandedAt === undefined && primary() === expected) w.brandedAt = performance.now();
    }).observe(document, { attributes: true, attributeFilter: ['style'], subtree: true });
  }, color);
}

/** Holds every answer of GET /api/branding back by `ms`: a slow server (a scenario, not a wait for anything). */
const slowBranding = (page: Page, ms: number) =>
  page.route('**/api/branding', async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    await route.continue();
  });

async function firstPaintOf(page: Page) {
  await page.waitForFunction(() => 'firstPaint' in window);
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      ...(w.firstPaint as { at: number; primary: string; title: string; favicon: string | null }),
      brandedAt: w.brandedAt as number | undefined,
    };
  });
}

describe('branding in the browser', () => {
  it('is edited with a live preview and contrast warnings, saved, and reset', async () => {
    const page = await suite.newPage();
    await signInAsMember(page, suite.served, admin);
    expect(await headerColor(page)).toBe('rgb(29, 78, 216)'); // #1d4ed8, from the factory
    await page.getByRole('link', { name: 'Branding' }).click();
    await page.getByRole('heading', { name: 'Branding' }).waitFor();

    // Typing a color repaints the whole app at once, before saving.
    await page.getByLabel('Primary color', { exact: true }).fill('#fde047');
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('.shell-header')!).backgroundColor === 'rgb(253, 224, 71)',
    );
    expect(await page.getByRole('status', { name: 'Contrast warnings' }).textContent()).toMatch(
      /contrast of 1\.\d:1 with the white page/,
    );
    await page.getByLabel('Primary color', { exact: true }).fill('#0f766e');
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('.shell-header')!).backgroundColor === 'rgb(15, 118, 110)',
    );
    expect(await page.getByRole('status', { name: 'Contrast warnings' }).count()).toBe(0);
    // Text that is not a hex color is refused on the spot and not previewed.
    await page.getByLabel('Secondary color', { exact: true }).fill('red;}body{display:none');
    await page.getByText('Use a hex color like #1d4ed8 or #17f.').waitFor();
    await page.getByLabel('Secondary color', { exact: true }).fill('#17f');

    await page.getByLabel('Display name').fill('Acme Portal');
    await page.getByLabel('Welcome message (sign-in page)').fill('Welcome to the Acme customer portal.');
    await page.getByLabel('Footer text').fill('© Acme Corporation');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await toastWith(page, 'The new branding is live').waitFor();
    await page.getByRole('contentinfo').getByText('© Acme Corporation').waitFor(); // the app's footer follows the saved branding
    expect(await page.title()).toBe('Acme Portal');

    await page
      .getByLabel('Logo')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: solidPng(120, 40, [15, 118, 110]) });
    await page.getByRole('img', { name: 'Logo (current)' }).waitFor();
    await page.getByTestId('brand-logo').waitFor(); // in the header too
    await page
      .getByLabel('Favicon')
      .setInputFiles({ name: 'favicon.png', mimeType: 'image/png', buffer: solidPng(32, 32, [255, 0, 0]) });
    await page.getByRole('img', { name: 'Favicon (current)' }).waitFor();
    await page.waitForFunction(() =>
      document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href.includes('/api/branding/assets/'),
    );
    // A fake image is refused with the API's message.
    await page
      .getByLabel('Sign-in background')
      .setInputFiles({ name: 'bg.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') });
    await page
      .getByTestId('image-background')
      .getByRole('alert')
      .getByText('not a readable PNG, JPEG or WebP image')
      .waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/branding-editor.png`, fullPage: true });

    // Unsaved changes vanish when leaving the page.
    await page.getByLabel('Primary color', { exact: true }).fill('#b91c1c');
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('.shell-header')!).backgroundColor === 'rgb(185, 28, 28)',
    );
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('.shell-header')!).backgroundColor === 'rgb(15, 118, 110)',
    );
    await page.close();
  });

  it("paints a first visit already in the tenant's colors, title and favicon (the first paint waits for the branding)", async () => {
    const page = await suite.newPage();
    await watchFirstPaint(page, '#0f766e');
    // A slow branding answer (within the 1.5 s the page waits for it): the page must wait rather than paint the default theme first.
    await slowBranding(page, 800);
    await page.goto(suite.served.url('acme'));
    await page.getByRole('heading', { name: 'Sign in to Acme Portal' }).waitFor();
    const paint = await firstPaintOf(page);
    expect(paint).toMatchObject({
      primary: '#0f766e',
      title: 'Acme Portal',
      favicon: expect.stringContaining('/api/branding/assets/'),
    });
    expect(paint.brandedAt).toBeDefined();
    expect(paint.brandedAt!).toBeLessThanOrEqual(paint.at);
    expect(await page.getByTestId('welcome-message').textContent()).toBe('Welcome to the Acme customer portal.');
    await page.getByRole('img', { name: 'Acme Portal logo' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/branded-login.png` });
    await page.close();
  });

  it('paints a known host from its cached branding at once, and takes a change when the revalidation answers', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(suite.served.url('acme'));
    await page.getByRole('heading', { name: 'Sign in to Acme Portal' }).waitFor(); // the branding is now cached in this browser
    await page.close();

    // The branding changes meanwhile, and its answer is slow: the next visit paints from the cache, then updates.
    await suite.data.query(`update branding set primary_color = '#7e22ce' where tenant_id = $1`, [suite.acme.id]);
    const again = await context.newPage();
    await watchFirstPaint(again, '#0f766e');
    let answerBranding!: () => void;
    const answered = new Promise<void>((resolve) => (answerBranding = resolve));
    await again.route('**/api/branding', async (route) => {
      await answered;
      await route.continue();
    });
    await again.goto(suite.served.url('acme'));
    // Painted while the revalidation is still held back: from the cache (without it the page would paint its default-themed notice).
    const paint = await firstPaintOf(again);
    answerBranding();
    expect(paint).toMatchObject({ primary: '#0f766e', title: 'Acme Portal' });
    expect(paint.brandedAt!).toBeLessThanOrEqual(paint.at);
    await again.waitForFunction(
      () => getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim() === '#7e22ce',
    );
    await context.close();
  });

  it('goes back to the default look when reset', async () => {
    const page = await suite.newPage();
    await signInAsMember(page, suite.served, admin);
    await page.getByRole('link', { name: 'Branding' }).click();
    await page.getByRole('button', { name: 'Reset to default' }).click();
    await page.getByRole('alertdialog').getByText('every uploaded image').waitFor(); // it names what is lost
    await confirmInDialog(page, 'Reset branding');
    await toastWith(page, 'The default look is back').waitFor();
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('.shell-header')!).backgroundColor === 'rgb(79, 70, 229)',
    ); // #4f46e5
    await page.waitForFunction(() => document.title === 'Acme Corporation');
    expect(await page.getByTestId('brand-logo').count()).toBe(0);
    await page.close();
  });
});
