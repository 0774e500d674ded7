export { ReleasesModule } from './releases.module.js';
export { ReleasesService } from './releases.service.js';
