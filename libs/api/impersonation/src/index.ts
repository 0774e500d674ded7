export { ImpersonationModule } from './impersonation.module.js';
export { ImpersonationService } from './impersonation.service.js';
