import type { Page } from 'playwright-core';
import {
  confirmInDialog,
  openConsolePage,
  openTenantInConsole,
  SCREENSHOTS,
  signInAsMember,
  signInAsOperator,
  useBrowserSuite,
} from './browser.js';
import type { TestMember } from '@tenantry/testing/factories';

const suite = useBrowserSuite();

const signIn = (page: Page, member: TestMember) => signInAsMember(page, suite.served, member);

describe('plans and trials in the browser', () => {
  it('warns admins near a limit on every page, and lets an owner start a trial that lifts it', async () => {
    const { data } = suite;
    const tenant = await data.aTenant({ slug: 'trialco', name: 'Trial Co', plan: 'free' });
    const owner = await data.aMember(tenant, 'owner');
    for (let i = 0; i < 3; i++) await data.aMember(tenant, 'member'); // 4 of 5 seats
    const page = await suite.newPage();
    await signIn(page, owner);
    expect(await page.getByTestId('limit-banner').textContent()).toContain(
      'Close to the limits of the Free plan: 4 of 5 seats.',
    );

    await page.getByTestId('limit-banner').getByRole('link', { name: 'See plan & usage' }).click();
    await page.getByRole('heading', { name: 'Free plan' }).waitFor();
    await page.getByRole('button', { name: 'Try Pro free for 14 days' }).click();
    await confirmInDialog(page, 'Start trial');
    await page.getByRole('heading', { name: 'Pro plan' }).waitFor();
    expect(await page.getByTestId('trial').textContent()).toMatch(
      /^Trial of Pro: 14 days left \(until .+\); then back to the free plan and its limits\.$/,
    );
    expect(await page.getByTestId('seats').textContent()).toBe('4 of 50 used');
    expect(await page.getByRole('button', { name: /^Try / }).count()).toBe(0); // one trial per workspace
    await page.reload();
    await page.getByRole('heading', { name: 'Pro plan' }).waitFor();
    expect(await page.getByTestId('limit-banner').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/trial.png`, fullPage: true });

    // Members see neither the banner nor the plan.
    const memberPage = await suite.newPage();
    await data.query(`update tenants set plan = 'free', plan_after_trial = null where id = $1`, [tenant.id]);
    await signIn(memberPage, await data.aMember(tenant, 'member'));
    expect(await memberPage.getByTestId('limit-banner').count()).toBe(0);
    await Promise.all([page.close(), memberPage.close()]);
  });

  it('lets the operator add and edit a plan, move a tenant to it, and see tenants near their limits', async () => {
    const { data, served } = suite;
    const crowded = await data.aTenant({ slug: 'crowdco', name: 'Crowd Co', plan: 'free' });
    await data.aMember(crowded, 'owner');
    // What the periodic check (tested in the API suite) wrote for this tenant.
    await data.query(
      `update tenants set limits_peak = 100, limits_checked_at = now(), limits_usage = '[{"name":"seats","used":5,"limit":5},{"name":"api_calls","used":120,"limit":10000}]' where id = $1`,
      [crowded.id],
    );
    const page = await suite.newPage();
    await signInAsOperator(page, served, await data.aSuperAdmin());
    const near = page.getByRole('row', { name: 'Crowd Co near its limits' });
    expect(await near.textContent()).toContain('seats 5/5, API calls 120/10,000');

    await openConsolePage(page, 'Plans & features');
    await page.getByRole('button', { name: 'New plan' }).click();
    const form = page.getByRole('form', { name: 'New plan' });
    await form.getByLabel('Code').fill('team');
    await form.getByLabel('Name', { exact: true }).fill('Team');
    await form.getByLabel('Seats (empty: unlimited)').fill('25');
    await form.getByLabel('API calls a month (empty: unlimited)').fill('50000');
    await form.getByLabel('api_access').check();
    await form.getByRole('button', { name: 'Save plan' }).click();
    const row = page.getByRole('row', { name: 'Plan Team' });
    expect(await row.textContent()).toContain('25');

    await row.getByRole('button', { name: 'Edit Team' }).click();
    const edit = page.getByRole('form', { name: 'Edit Team' });
    await edit.getByLabel('Trial days (0: no trial)').fill('7');
    await edit.getByLabel('Seats (empty: unlimited)').fill('0');
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await edit.getByText('seats must not be less than 1').waitFor(); // the API's own words, next to the field
    await edit.getByLabel('Seats (empty: unlimited)').fill('30');
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await page.getByRole('row', { name: 'Plan Team' }).getByText('7 days').waitFor();

    await openTenantInConsole(page, 'Crowd', 'Crowd Co', 'License');
    const move = page.getByRole('form', { name: 'Plan of Crowd Co' });
    await move.getByLabel('Move to').selectOption('team');
    await move.getByRole('button', { name: 'Change plan' }).click();
    await move.getByText('Now on Team: 1 of 30 seats used.').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/plans-console.png`, fullPage: true });
    await page.close();
  });

  it('lets the operator turn a feature off for one tenant and kill another everywhere; menus and pages follow', async () => {
    const { data, served } = suite;
    const flagged = await data.aTenant({ slug: 'flagco', name: 'Flag Co', plan: 'pro' });
    const owner = await data.aMember(flagged, 'owner');
    const console_ = await suite.newPage();
    await signInAsOperator(console_, served, await data.aSuperAdmin());
    await openConsolePage(console_, 'Plans & features');
    await console_.getByLabel('Tenants').fill('flagco');
    const row = console_.getByRole('row', { name: 'Features of Flag Co' });
    await row.waitFor();
    // The cell's title says what decides the feature, from the server's answer.
    const cell = (code: string) => row.getByRole('cell').filter({ has: console_.getByLabel(`${code} for Flag Co`) });
    expect(await cell('sso').getAttribute('title')).toBe('on (plan)');
    await row.getByLabel('api_access for Flag Co').selectOption('off');
    await row.locator('td[title="off (override)"]', { has: console_.getByLabel('api_access for Flag Co') }).waitFor();
    await console_.getByLabel('Kill sso').click(); // saved, then shown from the server's answer
    await row.locator('td[title="off (kill switch)"]', { has: console_.getByLabel('sso for Flag Co') }).waitFor();
    await console_.screenshot({ path: `${SCREENSHOTS}/features-console.png`, fullPage: true });

    const page = await suite.newPage();
    await signIn(page, owner);
    await page.getByRole('link', { name: 'Members' }).waitFor();
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Single sign-on' }).count()).toBe(0);
    await page.goto(`${served.url('flagco')}settings/api-keys`);
    await page.getByRole('heading', { name: "Not included in this workspace's plan" }).waitFor();

    await console_.getByLabel('Kill sso').click(); // back on: leave the other tests' SSO alone
    await row.locator('td[title="on (plan)"]', { has: console_.getByLabel('sso for Flag Co') }).waitFor();
    await Promise.all([console_.close(), page.close()]);
  });
});
