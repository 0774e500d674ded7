export { MailerModule } from './mailer.module.js';
export { MailerService } from './mailer.service.js';
export type { MailBrand, MailMessage } from './mail-message.js';
