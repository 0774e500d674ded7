export { WebhooksModule } from './webhooks.module.js';
export { WebhooksService } from './webhooks.service.js';
// For receivers (and the tests' receiver): how a signature is checked.
export { standardSecret, verifyWebhook } from './signature.js';
