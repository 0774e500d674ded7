import { SCREENSHOTS, signInAsMember, useBrowserSuite } from './browser.js';

const suite = useBrowserSuite();

describe('custom domains in the browser', () => {
  it('are added with the records to publish, verified by DNS, and then open the workspace at their own address', async () => {
    const admin = await suite.data.aMember(suite.acme, 'admin');
    const page = await suite.newPage();
    await signInAsMember(page, suite.served, admin);
    await page.getByRole('link', { name: 'Domains' }).click();
    await page.getByRole('heading', { name: 'Custom domains' }).waitFor();
    await page.getByLabel('Host name').fill('Portal.Acme.example');
    await page.getByRole('button', { name: 'Add custom domain' }).click();

    const card = page.getByRole('article', { name: 'portal.acme.example' });
    expect(await card.getByTestId('custom-domain-status').textContent()).toBe('pending');
    await card.getByText('edge.localhost').waitFor(); // the CNAME target
    const txtName = '_tenantry-verification.portal.acme.example';
    await card.getByText(txtName).waitFor();
    const txtValue = (await card.locator('code', { hasText: 'tenantry-verification=' }).textContent())!;

    await card.getByRole('button', { name: 'Check DNS now' }).click();
    await card.getByRole('alert').getByText(`no TXT record at ${txtName} yet`).waitFor();
    suite.dns.setTxt(txtName, txtValue);
    await card.getByRole('button', { name: 'Check DNS now' }).click();
    await card.getByTestId('custom-domain-status').getByText('verified').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/custom-domains.png`, fullPage: true });

    // The host name now opens Acme's workspace, in Acme's colors, and its members sign in there.
    const visitor = await suite.newPage();
    await visitor.goto(`http://portal.acme.example:${suite.served.port}/`);
    await visitor.getByRole('heading', { name: 'Sign in to Acme Corporation' }).waitFor();
    expect(
      await visitor.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim(),
      ),
    ).toBe('#1d4ed8');
    await visitor.getByLabel('Email').fill(admin.email);
    await visitor.getByLabel('Password').fill(admin.password);
    await visitor.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visitor.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await visitor.getByTestId('tenant-name').textContent()).toBe('Acme Corporation');

    // Another tenant cannot take it.
    const globexOwner = await suite.data.aMember(suite.globex, 'owner');
    const other = await suite.newPage();
    await signInAsMember(other, suite.served, globexOwner);
    await other.getByRole('link', { name: 'Domains' }).click();
    await other.getByLabel('Host name').fill('portal.acme.example');
    await other.getByRole('button', { name: 'Add custom domain' }).click();
    await other.getByText('Another workspace already uses that domain.').waitFor();
    await Promise.all([page.close(), visitor.close(), other.close()]);
  });
});
