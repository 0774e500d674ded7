export { LicensingModule } from './licensing.module.js';
export { FREE_PLAN, LicensingService } from './licensing.service.js';
export { PlanCatalog } from './plan-catalog.js';
export {
  generateLicenseKeyPair,
  inspectLicenseKey,
  type LicenseClaims,
  LicenseKeyError,
  signLicenseKey,
  verifyLicenseKey,
} from './license-key.js';
export { TenantRateLimitGuard } from './tenant-rate-limit.guard.js';
export { UsageMeter } from './usage-meter.js';
// The scheduled work, callable with a given clock (the licensing jobs run them; tests too).
export { LimitWatch } from './limit-watch.js';
export { Trials } from './trials.js';
