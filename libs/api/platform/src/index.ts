export { PlatformModule } from './platform.module.js';
export { PlatformTenantsService } from './platform-tenants.service.js';
