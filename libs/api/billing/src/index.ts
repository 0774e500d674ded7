export { BillingModule } from './billing.module.js';
export { BillingService } from './billing.service.js';
export { SubscriptionSync } from './subscription-sync.js';
export { UsageReporter } from './usage-reporter.js';
