export { PlatformStatsModule } from './platform-stats.module.js';
export { PlatformStatsService } from './platform-stats.service.js';
