export { MaintenanceModule } from './maintenance.module.js';
export { MaintenanceService } from './maintenance.service.js';
export { AnonymousMaintenanceGuard, MaintenanceGuard } from './maintenance.guard.js';
