export { DataExportModule } from './data-export.module.js';
export { DataExportService } from './data-export.service.js';
// The import tool (tools/import-tenant.mjs) and tests restore archives with it.
export { importTenantArchive, type ImportOptions, type ImportResult } from './tenant-import.js';
