export { MaintenanceModule } from './maintenance.module.js';
export { MaintenanceService } from './maintenance.service.js';
export { MaintenanceGuard } from './maintenance.guard.js';
