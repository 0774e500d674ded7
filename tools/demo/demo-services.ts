import { demoData } from './demo-data.ts';
import { demoIdpKeys } from './demo-idp-keys.ts';
import { TestIdpPage } from './saml-idp-page.ts';
import { TestStripeServer } from './stripe-server.ts';

export interface DemoSettings {
  /** Where the services listen (the API's HOST). */
  host: string;
  /** The host name browsers reach them at (BASE_DOMAIN). */
  baseDomain: string;
  /** DEMO_IDP_PORT (0: any free port, in tests). */
  idpPort: number;
  /** DEMO_BILLING_PORT; null when Stripe's own keys are set (STRIPE_SECRET_KEY): no local billing then. */
  billingPort: number | null;
  /** Where the billing test mode keeps its customers and subscriptions across restarts (tmp/demo-billing/). */
  billingStateFile?: string;
  /** Where the API listens, for the billing test mode's webhooks. */
  apiOrigin: string;
}

export interface DemoServices {
  idp: TestIdpPage;
  billing: TestStripeServer | null;
  /** Settings the API needs to use them (Stripe mode against the local server). */
  apiEnvironment: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * What `npm start` runs beside the API (tools/demo/serve-demo.ts), and the demo's browser test too: the demo
 * identity provider, with the key pair the seed's SSO connection pins and the demo data's people, and the billing
 * test mode, a Stripe-compatible server selling the demo prices (the seed puts their ids on the plans), serving
 * Checkout and Portal pages and delivering signed webhooks to the API.
 */
export async function startDemoServices(settings: DemoSettings): Promise<DemoServices> {
  const data = demoData();
  const idp = await new TestIdpPage({
    host: settings.host,
    port: settings.idpPort,
    publicHost: settings.baseDomain,
    keys: await demoIdpKeys(),
    people: data.sso.people,
  }).start();
  let billing: TestStripeServer | null = null;
  try {
    if (settings.billingPort !== null)
      billing = await new TestStripeServer({
        host: settings.host,
        port: settings.billingPort,
        publicHost: settings.baseDomain,
        webhookUrl: `${settings.apiOrigin}/api/billing/webhooks`,
        stateFile: settings.billingStateFile,
        prices: Object.entries(data.stripePrices).flatMap(([plan, { base, seat }]) => {
          const name = plan[0].toUpperCase() + plan.slice(1);
          const { currency } = data.listPrices[plan];
          return [
            { ...base, nickname: `${name} plan`, currency },
            { ...seat, nickname: `${name} seats`, currency },
          ];
        }),
      }).start();
  } catch (error) {
    await idp.stop();
    throw error;
  }
  return {
    idp,
    billing,
    apiEnvironment: billing
      ? { STRIPE_SECRET_KEY: 'sk_test_demo', STRIPE_WEBHOOK_SECRET: billing.webhookSecret, STRIPE_API_URL: billing.url }
      : {},
    async stop() {
      await Promise.all([idp.stop(), billing?.stop()]);
    },
  };
}
