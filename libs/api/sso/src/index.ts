export { SsoModule } from './sso.module.js';
export { SsoService } from './sso.service.js';
