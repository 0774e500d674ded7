export { FeaturesModule } from './features.module.js';
export { FeatureFlags } from './feature-flags.service.js';
export { FeatureGuard } from './feature.guard.js';
