import type { Page } from 'playwright-core';
import { TestStripeServer } from '../../../tools/demo/stripe-server.js';
import type { TestMember } from '@tenantry/testing/factories';
import { type BrowserSuite, SCREENSHOTS, signInAsMember, signInAsOperator, startBrowserSuite } from './browser.js';

let suite: BrowserSuite;
let stripe: TestStripeServer;

beforeAll(async () => {
  stripe = await new TestStripeServer().start();
  suite = await startBrowserSuite({
    STRIPE_SECRET_KEY: 'sk_test_browser',
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_URL: stripe.url,
  });
  await suite.data.query(
    `update plans set stripe_price_id = 'price_' || code || '_base', stripe_seat_price_id = 'price_' || code || '_seat' where code in ('starter', 'pro')`,
  );
});
afterAll(async () => {
  await suite?.stop();
  await stripe?.stop();
});

const signIn = (page: Page, member: TestMember) => signInAsMember(page, suite.served, member);

/** Stripe delivers a webhook to the served app. */
async function deliver(event: Record<string, unknown>): Promise<void> {
  const { body, signature } = stripe.delivery(event);
  const res = await fetch(`${suite.served.url()}api/billing/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  });
  expect(res.status).toBe(200);
}

describe('billing in the browser', () => {
  it('takes an owner through Checkout, then seats and a failed payment; admins only read', async () => {
    const { data } = suite;
    const tenant = await data.aTenant({ slug: 'payco', name: 'Pay Co', plan: 'free' });
    const owner = await data.aMember(tenant, 'owner');
    await data.aMember(tenant, 'member');
    const page = await suite.newPage();
    // Stripe's hosted Checkout page, as far as this browser can tell.
    await page.route('https://checkout.stripe.test/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<h1>Stripe Checkout</h1>' }),
    );
    await signIn(page, owner);
    await page.getByRole('link', { name: 'Billing' }).click();
    expect(await page.getByTestId('billing-status').textContent()).toBe('no subscription');
    await page.getByRole('button', { name: 'Subscribe to Pro (14-day trial)' }).click();
    await page.getByRole('heading', { name: 'Stripe Checkout' }).waitFor();

    // The customer pays; Stripe tells the app and sends the browser back.
    const session = [...stripe.sessions.values()].at(-1)!;
    expect(session.line_items).toEqual([
      { price: 'price_pro_base', quantity: '1' },
      { price: 'price_pro_seat', quantity: '2' },
    ]);
    const subscription = stripe.completeCheckout(session.id);
    await page.goto(session.success_url as string);
    await deliver(stripe.event('checkout.session.completed', session));
    await page.getByTestId('billing-status').getByText('trial').waitFor();
    expect(await page.getByTestId('billing-seats').textContent()).toBe('2 used of 2 paid');

    // At the limit, inviting one more leads the owner to buy seats.
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('Email to invite').fill('third@payco.test');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('link', { name: 'Add seats in Billing' }).click();
    await page.getByLabel('Paid seats').fill('5');
    await page.getByRole('button', { name: 'Update seats' }).click();
    await page.getByTestId('billing-seats').getByText('2 used of 5 paid').waitFor();
    expect(await page.getByTestId('next-invoice').textContent()).toMatch(/^€74\.00 on /);

    const invoice = stripe.failPayment(subscription.id);
    await deliver(stripe.event('invoice.payment_failed', invoice));
    // The job handles it in a moment: the page shows it from the next load on.
    for (let i = 0; i < 40 && (await page.getByTestId('past-due').count()) === 0; i++) await page.reload();
    await page.getByTestId('past-due').waitFor();
    expect(await page.getByTestId('billing-status').textContent()).toBe('payment failed');
    await page.screenshot({ path: `${SCREENSHOTS}/billing.png`, fullPage: true });

    const admin = await suite.newPage();
    await signIn(admin, await data.aMember(tenant, 'admin'));
    await admin.getByRole('link', { name: 'Billing' }).click();
    await admin.getByText('Only owners change billing.').waitFor();
    expect(await admin.getByRole('button', { name: 'Update seats' }).count()).toBe(0);

    // The operator sees the revenue and the failed payment.
    const console_ = await suite.newPage();
    await signInAsOperator(console_, suite.served, await data.aSuperAdmin());
    expect(await console_.getByTestId('mrr').textContent()).toBe('€74.00');
    expect(await console_.getByTestId('subscriptions-by-status').textContent()).toBe('1 past due');
    expect(
      await console_
        .getByRole('table', { name: 'Failed payments' })
        .getByRole('row', { name: /Pay Co \(payco\) pro €74\.00/ })
        .count(),
    ).toBe(1);
    await Promise.all([page.close(), admin.close(), console_.close()]);
  });

  it('signs a company up through the wizard and Stripe Checkout, and welcomes it back on its subscription', async () => {
    const page = await suite.newPage();
    await page.route('https://checkout.stripe.test/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<h1>Stripe Checkout</h1>' }),
    );
    await page.goto(suite.served.url());
    await page.getByRole('button', { name: 'Create a new workspace' }).click();
    await page.getByLabel('Company name').fill('Umbrella Corp');
    await page.getByLabel('Logo (optional)').setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    await page.getByRole('img', { name: 'Logo preview' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Your name').fill('Albert Wesker');
    await page.getByLabel('Email').fill('albert@umbrella.test');
    await page.getByLabel('Password').fill('a long and unusual passphrase');
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByTestId('slug-status')
      .getByText(/umbrella-corp\.localhost:\d+ is free\./)
      .waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByRole('article', { name: 'Pro plan' })
      .getByRole('button', { name: 'Continue to payment (14-day trial)' })
      .click();
    // The mailed link creates the workspace, then Checkout follows (the plan was kept in this browser).
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.goto((await suite.served.mailbox.waitFor('albert@umbrella.test', /create your workspace/)).links[0]);
    await page.getByRole('heading', { name: 'Stripe Checkout' }).waitFor();

    const session = [...stripe.sessions.values()].at(-1)!;
    expect(session.success_url).toBe(`${suite.served.url()}welcome?checkout=done`);
    stripe.completeCheckout(session.id);
    await deliver(stripe.event('checkout.session.completed', session));
    await page.goto(session.success_url as string);
    await page.getByRole('heading', { name: 'Umbrella Corp is ready' }).waitFor();
    await page.getByText('Thank you: the subscription starts').waitFor();
    await page.getByRole('button', { name: 'Open Umbrella Corp' }).click();
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByTestId('billing-status').getByText('trial').waitFor();
    const { rows } = await suite.data.query(
      `select t.industry, b.logo is not null as has_logo, t.plan from tenants t left join branding b on b.tenant_id = t.id where t.slug = 'umbrella-corp'`,
    );
    expect(rows).toEqual([{ industry: null, has_logo: true, plan: 'pro' }]);
    await page.close();
  });
});
