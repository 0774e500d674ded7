import { confirmInDialog, openTenantInConsole, signInAsOperator, toastWith, useBrowserSuite } from './browser.js';

const suite = useBrowserSuite();

describe('tenant lifecycle in the console', () => {
  it('suspends a tenant with a reason its people read, reactivates it, deletes it and restores it', async () => {
    const operatorPage = await suite.newPage();
    await signInAsOperator(operatorPage, suite.served, await suite.data.aSuperAdmin());
    await openTenantInConsole(operatorPage, 'Globex', 'Globex');
    await operatorPage.getByLabel('Suspension notice (its people see it)').fill('Unpaid invoices since March.');
    await operatorPage.getByRole('button', { name: 'Suspend', exact: true }).click();
    await operatorPage.getByTestId('tenant-status').getByText('suspended').waitFor();

    const visitor = await suite.newPage();
    await visitor.goto(suite.served.url('globex'));
    await visitor.getByRole('heading', { name: 'This workspace is suspended' }).waitFor();
    await visitor.getByText('Unpaid invoices since March.').waitFor();

    await operatorPage.getByRole('button', { name: 'Reactivate' }).click();
    await operatorPage.getByTestId('tenant-status').getByText('active').waitFor();
    await visitor.reload();
    await visitor.getByRole('heading', { name: 'Sign in to Globex' }).waitFor();

    await operatorPage.getByRole('button', { name: 'Delete tenant…' }).click();
    await confirmInDialog(operatorPage, 'Delete tenant', 'globex');
    await toastWith(operatorPage, 'Globex is deleted').waitFor();
    await operatorPage.getByRole('button', { name: 'Restore Globex' }).waitFor();
    await visitor.reload();
    await visitor.getByText('There is no tenant at this address.').waitFor();
    await operatorPage.getByRole('button', { name: 'Restore Globex' }).click();
    await operatorPage.getByRole('heading', { name: 'Deleted tenants' }).waitFor({ state: 'detached' });
    await visitor.reload();
    await visitor.getByRole('heading', { name: 'Sign in to Globex' }).waitFor();
    await Promise.all([operatorPage.close(), visitor.close()]);
  });
});
