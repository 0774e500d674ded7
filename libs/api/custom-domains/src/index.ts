export { CustomDomainsModule } from './custom-domains.module.js';
export { CustomDomainsService } from './custom-domains.service.js';
