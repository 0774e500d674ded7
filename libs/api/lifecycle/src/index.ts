export { LifecycleModule } from './lifecycle.module.js';
export { TenantLifecycleService } from './tenant-lifecycle.service.js';
