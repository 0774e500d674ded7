import { openConsolePage, SCREENSHOTS, signInAsMember, signInAsOperator, useBrowserSuite } from './browser.js';

const suite = useBrowserSuite();

describe('maintenance mode in the browser', () => {
  it('shows people the maintenance page while it lasts and brings the app back by itself; operators keep working', async () => {
    const member = await suite.data.aMember(suite.acme, 'admin');
    const page = await suite.newPage();
    await signInAsMember(page, suite.served, member);
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();

    const operatorPage = await suite.newPage();
    await signInAsOperator(operatorPage, suite.served, await suite.data.aSuperAdmin());
    await openConsolePage(operatorPage, 'Maintenance');
    await operatorPage.getByLabel('Message for users').fill('Upgrading the database.');
    await operatorPage.getByRole('button', { name: 'Start maintenance' }).click();
    await operatorPage
      .getByTestId('maintenance-state')
      .getByText('On (switched on): Upgrading the database.')
      .waitFor();
    await operatorPage.getByTestId('maintenance-banner').waitFor(); // the operator's app keeps working, with a reminder

    // The member's open app is told over the realtime channel: it shows the maintenance page without a click.
    await page.getByRole('heading', { name: 'Down for maintenance' }).waitFor({ timeout: 8000 });
    expect(await page.getByTestId('maintenance-message').textContent()).toBe('Upgrading the database.');
    await page.screenshot({ path: `${SCREENSHOTS}/maintenance.png` });
    // A fresh visit shows it too, in the tenant's colors.
    const visitor = await suite.newPage();
    await visitor.goto(suite.served.url('acme'));
    await visitor.getByRole('heading', { name: 'Down for maintenance' }).waitFor();
    expect(
      await visitor.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim(),
      ),
    ).toBe('#1d4ed8');

    await operatorPage.getByRole('button', { name: 'End maintenance' }).click();
    await operatorPage
      .getByTestId('maintenance-state')
      .getByText(/^Off\./)
      .waitFor();
    // The page polls, sees the end, and reopens the app (still signed in).
    await page.getByRole('heading', { name: 'Members' }).waitFor({ timeout: 15_000 });
    await visitor.getByRole('heading', { name: 'Sign in to Acme Corporation' }).waitFor({ timeout: 15_000 });
    await Promise.all([page.close(), operatorPage.close(), visitor.close()]);
  });
});
