import { createHash } from 'node:crypto';
import { type FeatureCode, type FeatureOverride, FEATURES, type FeatureState } from '@tenantry/contracts';

export interface FeatureInputs {
  tenantId: string;
  planFeatures: readonly string[];
  setting: { killed: boolean; rolloutPercent: number | null } | undefined;
  override: FeatureOverride | undefined;
}

/** A tenant's stable place (0–99) in a feature's rollout: the same tenant stays in or out as the percentage grows. */
export function rolloutBucket(code: FeatureCode, tenantId: string): number {
  return createHash('sha256').update(`${code}:${tenantId}`).digest().readUInt32BE(0) % 100;
}

/** Kill switch > tenant override > plan > rollout > catalog default. */
export function evaluateFeature(code: FeatureCode, inputs: FeatureInputs): FeatureState {
  const { setting, override } = inputs;
  if (setting?.killed) return { enabled: false, source: 'kill_switch', config: null };
  if (override) return { enabled: override.enabled, source: 'override', config: override.config };
  if (inputs.planFeatures.includes(code)) return { enabled: true, source: 'plan', config: null };
  if (setting?.rolloutPercent !== null && setting?.rolloutPercent !== undefined) {
    return { enabled: rolloutBucket(code, inputs.tenantId) < setting.rolloutPercent, source: 'rollout', config: null };
  }
  return { enabled: FEATURES[code].default, source: 'default', config: null };
}
