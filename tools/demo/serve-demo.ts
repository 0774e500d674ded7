// `npm start`'s last step (tools/start.sh): the demo's services (tools/demo/demo-services.ts), then the API
// with the settings that use them, until the API stops. Settings as the API reads them (environment, then .env).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AppConfig } from '@tenantry/api-core';
import { startDemoServices } from './demo-services.ts';

const environment = (await import(new URL('../../apps/api/dist/environment.js', import.meta.url).href)) as {
  configFromEnvironment(): AppConfig;
};
const { http, tenancy, billing, demo } = environment.configFromEnvironment();
// Loopback for an API listening on every address.
const apiHost = ['0.0.0.0', '::', ''].includes(http.host) ? '127.0.0.1' : http.host;
const at = (port: number) => `http://${tenancy.baseDomain}:${port}`;

const services = await startDemoServices({
  host: http.host,
  baseDomain: tenancy.baseDomain,
  idpPort: demo.idpPort,
  billingPort: billing.secretKey ? null : demo.billingPort,
  // Beside the database that names its customers and subscriptions, it outlives a restart.
  billingStateFile: 'tmp/demo-billing/state.json',
  apiOrigin: `http://${apiHost.includes(':') ? `[${apiHost}]` : apiHost}:${http.port}`,
}).catch((error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `[demo] something already listens on port ${(error as { port?: number }).port}: stop it, or set DEMO_IDP_PORT / DEMO_BILLING_PORT.`
      : `[demo] ${error.message}`,
  );
  process.exit(1);
});
console.log(`[demo] identity provider (a demo, not a real IdP): ${at(demo.idpPort)}`);
console.log(
  services.billing
    ? `[demo] billing test mode (TEST PAYMENTS, nothing is charged): Checkout and Portal pages on ${at(demo.billingPort)}`
    : '[demo] billing: Stripe, with the keys set in STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET',
);

const api = spawn(process.execPath, ['apps/api/dist/main.js'], {
  env: { ...process.env, ...services.apiEnvironment },
  stdio: 'inherit',
});
// Ctrl-C reaches the API from the terminal (same process group): a second SIGINT would cut its graceful stop
// short, so this process only waits. A SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => api.kill('SIGTERM'));
const [code, signal] = (await once(api, 'exit')) as [number | null, NodeJS.Signals | null];
await services.stop();
process.exit(code ?? (signal ? 1 : 0));
