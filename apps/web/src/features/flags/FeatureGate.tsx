import type { FeatureCode } from '@tenantry/contracts';
import type { ReactNode } from 'react';
import { Notice } from '../../ui/Notice';
import { useFeatures } from './features-api';

/** A page of a feature: what the tenant's plan (or the operator) does not give it says so instead of failing. */
export function FeatureGate({ feature, children }: { feature: FeatureCode; children: ReactNode }) {
  const features = useFeatures();
  if (!features.data) return <p className="hint">Loading…</p>;
  if (!features.data[feature].enabled) {
    return (
      <Notice title="Not included in this workspace's plan">
        Owners can see the plans under Plan &amp; usage and Billing.
      </Notice>
    );
  }
  return children;
}
