import type { Page } from 'playwright-core';
import { signInAsMember, useBrowserSuite } from './browser.js';

const suite = useBrowserSuite();

describe('realtime in the browser', () => {
  it("shows a colleague's new contact without a reload, and nothing of another tenant's", async () => {
    const { data, served } = suite;
    const tenant = await data.aTenant({ slug: 'liveco', name: 'Live Co' });
    const other = await data.aTenant({ slug: 'otherlive', name: 'Other Live' });
    const [ann, ben, olga, oscar] = [
      await data.aMember(tenant, 'member'),
      await data.aMember(tenant, 'member'),
      await data.aMember(other, 'member'),
      await data.aMember(other, 'member'),
    ];
    const [annPage, benPage, olgaPage, oscarPage] = [
      await suite.newPage(),
      await suite.newPage(),
      await suite.newPage(),
      await suite.newPage(),
    ];
    await signInAsMember(annPage, served, ann);
    await signInAsMember(benPage, served, ben);
    await signInAsMember(olgaPage, served, olga);
    await signInAsMember(oscarPage, served, oscar);
    const addContact = async (page: Page, name: string) => {
      await page.getByRole('button', { name: 'New contact' }).click();
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Add contact' }).click();
    };

    await addContact(annPage, 'Pushed Contact');
    // Ben's list refreshes by itself (no polling on this page: the event did it).
    await benPage.getByRole('cell', { name: 'Pushed Contact' }).waitFor({ timeout: 8000 });
    // A later event of Olga's own tenant reaches her page: by then anything of Ann's would have too.
    await addContact(oscarPage, 'Other Tenant Contact');
    await olgaPage.getByRole('cell', { name: 'Other Tenant Contact' }).waitFor({ timeout: 8000 });
    expect(await olgaPage.getByText('Pushed Contact').count()).toBe(0);
    await Promise.all([annPage.close(), benPage.close(), olgaPage.close(), oscarPage.close()]);
  });
});
