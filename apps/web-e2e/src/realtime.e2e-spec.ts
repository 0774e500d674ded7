import { type BrowserSuite, signInAsMember, startBrowserSuite } from './browser.js';

let suite: BrowserSuite;
beforeAll(async () => {
  suite = await startBrowserSuite();
});
afterAll(() => suite?.stop());

describe('realtime in the browser', () => {
  it("shows a colleague's new contact without a reload, and nothing of another tenant's", async () => {
    const { data, served } = suite;
    const tenant = await data.aTenant({ slug: 'liveco', name: 'Live Co' });
    const other = await data.aTenant({ slug: 'otherlive', name: 'Other Live' });
    const [ann, ben, olga] = [await data.aMember(tenant, 'member'), await data.aMember(tenant, 'member'), await data.aMember(other, 'member')];
    const [annPage, benPage, olgaPage] = [await suite.newPage(), await suite.newPage(), await suite.newPage()];
    await signInAsMember(annPage, served, ann);
    await signInAsMember(benPage, served, ben);
    await signInAsMember(olgaPage, served, olga);

    await annPage.getByRole('button', { name: 'New contact' }).click();
    await annPage.getByLabel('Name', { exact: true }).fill('Pushed Contact');
    await annPage.getByRole('button', { name: 'Add contact' }).click();
    // Ben's list refreshes by itself (no polling on this page: the event did it).
    await benPage.getByRole('cell', { name: 'Pushed Contact' }).waitFor({ timeout: 8000 });
    await olgaPage.waitForTimeout(500);
    expect(await olgaPage.getByText('Pushed Contact').count()).toBe(0);
    await Promise.all([annPage.close(), benPage.close(), olgaPage.close()]);
  });
});
