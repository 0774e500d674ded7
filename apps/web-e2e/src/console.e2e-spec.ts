import { openConsolePage, SCREENSHOTS, signInAsOperator, useBrowserSuite } from './browser.js';

const suite = useBrowserSuite();

describe('platform console', () => {
  it('shows the platform in numbers and charts on its overview', async () => {
    const page = await suite.newPage();
    await signInAsOperator(page, suite.served, await suite.data.aSuperAdmin());
    const { rows } = await suite.data.query<{ n: number }>(
      'select count(*)::int as n from tenants where deleted_at is null',
    );
    expect(await page.getByTestId('stat-tenants').textContent()).toBe(String(rows[0].n));
    for (const chart of [
      'Tenants by status',
      'Tenants by plan',
      'Growth (12 months)',
      'Tenants and MRR over time',
      'Feature adoption',
    ]) {
      // recharts draws into an SVG once it has a size: a chart with bars or lines has rendered.
      await page.getByRole('figure', { name: chart }).locator('svg.recharts-surface').first().waitFor();
    }
    expect(
      await page.getByRole('figure', { name: 'Tenants by plan' }).locator('.recharts-bar-rectangle').count(),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}/console-overview.png`, fullPage: true });
    await page.close();
  });

  it('finds, filters and pages through tenants, creates one with its owner invited, and shows its tabs', async () => {
    const { data } = suite;
    for (let i = 1; i <= 27; i++)
      await data.aTenant({ slug: `bulk-${i}`, name: `Bulk ${String(i).padStart(2, '0')}`, plan: 'starter' });
    const owned = await data.aTenant({ slug: 'ownedco', name: 'Owned Co', plan: 'pro' });
    await data.aMember(owned, 'owner', { email: 'boss@owned-mail.test' });
    const page = await suite.newPage();
    await signInAsOperator(page, suite.served, await data.aSuperAdmin());
    await openConsolePage(page, 'Tenants');

    // Search by the owner's email.
    await page.getByLabel('Find a tenant').fill('boss@owned');
    await page.getByRole('button', { name: 'Open Owned Co' }).waitFor();
    await page.getByTestId('tenant-total').getByText('1 tenant').waitFor();

    // 27 matches: 25 on the first page, the rest after "Load more", sorted by name.
    await page.getByLabel('Find a tenant').fill('bulk');
    await page.getByLabel('Sort').selectOption('name');
    await page.getByTestId('tenant-total').getByText('27 tenants').waitFor();
    const table = page.getByRole('table', { name: 'Tenants' });
    await table.getByRole('row', { name: /Bulk 25/ }).waitFor();
    expect(await table.getByRole('row').count()).toBe(26); // header + 25
    await page.getByRole('button', { name: 'Load more' }).click();
    await table.getByRole('row', { name: /Bulk 27/ }).waitFor();
    expect(await table.getByRole('row').count()).toBe(28);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await page.getByLabel('Plan', { exact: true }).selectOption('pro');
    await page.getByText('No tenant matches.').waitFor();
    await page.getByLabel('Plan', { exact: true }).selectOption('');

    // A new tenant: its owner gets the invitation; the detail opens on its overview.
    await page.getByRole('button', { name: 'New tenant' }).click();
    const form = page.getByRole('form', { name: 'New tenant' });
    await form.getByLabel('Name').fill('Pied Piper');
    await form.getByLabel('Address').fill('bulk-1');
    await form.getByLabel('Owner email').fill('richard@piedpiper.test');
    await form.getByLabel('Plan').selectOption('pro');
    await form.getByRole('button', { name: 'Create and invite' }).click();
    await form.getByText('That tenant address is already taken.').waitFor();
    await form.getByLabel('Address').fill('pied-piper');
    await form.getByRole('button', { name: 'Create and invite' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pied Piper' }).waitFor();
    await page.getByText('invited: richard@piedpiper.test').waitFor();
    expect(await page.getByTestId('tenant-status').textContent()).toBe('trial');
    const mail = await suite.served.mailbox.waitFor('richard@piedpiper.test');
    expect(mail.subject).toMatch(/invited you to Pied Piper/);

    // Tabs: each one's content, and the address names the tab (a reload stays there).
    await page.getByRole('tab', { name: 'Features' }).click();
    await page
      .getByRole('tabpanel', { name: 'Features' })
      .getByRole('row', { name: /^sso/ })
      .getByText('plan', { exact: true })
      .waitFor();
    await page.getByRole('tab', { name: 'License' }).click();
    await page.getByRole('form', { name: 'Plan of Pied Piper' }).waitFor();
    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page
      .getByRole('tabpanel', { name: 'Audit log' })
      .getByRole('table')
      .getByText('tenant.plan_changed')
      .waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/platform\/tenants\/[0-9a-f-]{36}\/audit$/);
    await page.reload();
    await page.getByRole('tab', { name: 'Audit log', selected: true }).waitFor();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByLabel('Tenant name').fill('Pied Piper Inc.');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pied Piper Inc.' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/console-tenant.png`, fullPage: true });

    // The platform's log has what the operator did.
    await openConsolePage(page, 'Audit log');
    await page.getByLabel('Kind').selectOption('tenant');
    const log = page.getByRole('table', { name: 'Platform audit log' });
    await log.getByRole('row', { name: /tenant\.renamed.*Pied Piper Inc\./ }).waitFor();
    await log.getByRole('row', { name: /tenant\.created/ }).waitFor();

    // Releases: the instance serving this test runs, under its version.
    await openConsolePage(page, 'Releases');
    await page
      .getByRole('table', { name: 'Running instances' })
      .getByRole('row', { name: /running/ })
      .first()
      .waitFor();
    await page.close();
  });
});
