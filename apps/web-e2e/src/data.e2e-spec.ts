import { readFile } from 'node:fs/promises';
import { SCREENSHOTS, signInAsMember, useBrowserSuite } from './browser.js';

const suite = useBrowserSuite();

describe('Settings → Data in the browser', () => {
  it("lets an owner export the workspace's data, download the zip, and delete the workspace after typing its address", async () => {
    const { data, served } = suite;
    const tenant = await data.aTenant({ slug: 'datacorp', name: 'Data Corp' });
    const owner = await data.aMember(tenant, 'owner');
    const admin = await data.aMember(tenant, 'admin');
    await data.contacts(tenant, 12);

    // Admins do not see the page.
    const adminPage = await suite.newPage();
    await signInAsMember(adminPage, served, admin);
    expect(await adminPage.getByRole('link', { name: 'Data', exact: true }).count()).toBe(0);
    await adminPage.close();

    const page = await suite.newPage();
    await signInAsMember(page, served, owner);
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    await page.getByRole('button', { name: 'Export all data' }).click();
    const row = page.getByRole('table', { name: 'Exports' }).getByRole('row').nth(1);
    await row.getByText(/ready until/).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^tenantry-datacorp-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = await readFile((await download.path())!);
    expect(zip.subarray(0, 4).toString('binary')).toBe('PK\x03\x04');
    expect(zip.includes(Buffer.from('manifest.json'))).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/data-export.png`, fullPage: true });

    await page.getByRole('button', { name: 'Delete workspace…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete Data Corp?' });
    const confirm = dialog.getByLabel('Type datacorp to confirm');
    const remove = dialog.getByRole('button', { name: 'Delete workspace' });
    expect(await remove.isDisabled()).toBe(true);
    await confirm.fill('datacor');
    expect(await remove.isDisabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/data-delete-dialog.png` });
    await confirm.fill('datacorp');
    await remove.click();
    await page.getByRole('heading', { name: 'Data Corp is deleted' }).waitFor();
    const visitor = await suite.newPage();
    await visitor.goto(served.url('datacorp'));
    await visitor.getByText('There is no tenant at this address.').waitFor();
    await Promise.all([page.close(), visitor.close()]);
  });
});
