import { Webhook } from 'standardwebhooks';
import { TestWebhookReceiver } from '@tenantry/testing/webhook-receiver';
import { type BrowserSuite, SCREENSHOTS, signInAsMember, startBrowserSuite } from './browser.js';

let suite: BrowserSuite;
let receiver: TestWebhookReceiver;
beforeAll(async () => {
  suite = await startBrowserSuite();
  receiver = await new TestWebhookReceiver().start();
});
afterAll(async () => {
  await receiver?.stop();
  await suite?.stop();
});

describe('webhooks in the browser', () => {
  it('lets an admin add an endpoint, shows its secret once, logs deliveries and resends one', async () => {
    const { data, served, dns } = suite;
    const tenant = await data.aTenant({ slug: 'hookshop', name: 'Hook Shop' });
    const admin = await data.aMember(tenant, 'admin');
    dns.setA('hooks.example', ['127.0.0.1']);
    const page = await suite.newPage();
    await signInAsMember(page, served, admin);
    await page.getByRole('link', { name: 'Webhooks' }).click();

    const form = page.getByRole('form', { name: 'Add an endpoint' });
    await form.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data/');
    await form.getByLabel('contact.created').check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await form
      .getByText(
        /Webhooks can only be sent to public https addresses\. \(169\.254\.169\.254 resolves to|not a public address/,
      )
      .waitFor();

    await form.getByLabel('URL').fill(`http://hooks.example:${receiver.port}/in`);
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.getByTestId('webhook-secret').locator('code').textContent())!;
    expect(secret).toMatch(/^whsec_/);

    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Grace Hopper');
    await page.getByRole('button', { name: 'Add contact' }).click();
    const [hook] = await receiver.waitFor(1);
    // The secret as the page shows it verifies with a Standard Webhooks library.
    expect(new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>)).toMatchObject({
      type: 'contact.created',
    });
    expect(JSON.parse(hook.body).data.contact.name).toBe('Grace Hopper');

    await page.getByRole('link', { name: 'Webhooks' }).click();
    const endpoint = page.getByRole('article', { name: `Endpoint http://hooks.example:${receiver.port}/in` });
    await endpoint.getByRole('button', { name: 'Deliveries' }).click();
    const log = endpoint.getByRole('table', { name: 'Deliveries' });
    await log.getByRole('row', { name: /contact\.created succeeded 1 200/ }).waitFor();
    await log.getByRole('button', { name: /^Resend contact\.created/ }).click();
    await receiver.waitFor(2);
    await log
      .getByRole('row', { name: /contact\.created succeeded/ })
      .nth(1)
      .waitFor();
    expect(JSON.parse(receiver.received[1].body).id).toBe(JSON.parse(hook.body).id);
    await page.screenshot({ path: `${SCREENSHOTS}/webhooks.png`, fullPage: true });
    await page.close();
  });
});
