export { MaintenanceModule } from './maintenance.module.js';
export { MaintenanceService } from './maintenance.service.js';
