export { BillingModule } from './billing.module.js';
export { BillingService } from './billing.service.js';
// Stripe events with a given clock (the billing job runs them; tests too).
export { StripeEvents } from './stripe-events.js';
export { SubscriptionSync } from './subscription-sync.js';
export { UsageReporter } from './usage-reporter.js';
