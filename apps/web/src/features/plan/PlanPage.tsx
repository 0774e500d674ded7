import type { UsageMetric } from '@tenantry/contracts';
import { useTenantPlan } from './plan-api';
import { lazy, Suspense } from 'react';

// recharts is large: loaded with this page only, not at boot.
const UsageChart = lazy(() => import('./UsageChart').then((m) => ({ default: m.UsageChart })));

const METRICS: Record<UsageMetric, string> = { api_calls: 'API calls', contacts: 'New contacts' };

/** Settings → Plan & usage: the plan and its seats (members plus pending invitations). */
export function PlanPage() {
  const current = useTenantPlan();
  if (current.isError) return <p role="alert" className="error">{(current.error as Error).message}</p>;
  if (!current.data) return <p className="hint">Loading…</p>;
  const { plan, license, seats, usage, usageResetsAt } = current.data;
  const full = seats.limit !== null && seats.used >= seats.limit;
  return (
    <section aria-labelledby="plan-title">
      <h1 id="plan-title">Plan &amp; usage</h1>
      <article className="card" aria-label="Plan">
        <h2>{plan.name} plan</h2>
        <dl className="dns-record">
          <dt>License</dt>
          <dd data-testid="license">{license ? `${license.status}${license.validUntil ? `, until ${new Date(license.validUntil).toLocaleDateString()}` : ', no end'}` : 'none (the plan applies)'}</dd>
          <dt>Seats</dt>
          <dd data-testid="seats">{seats.limit === null ? `${seats.used} used (unlimited)` : `${seats.used} of ${seats.limit} used`}</dd>
        </dl>
        {seats.limit !== null && <meter min={0} max={seats.limit} value={Math.min(seats.used, seats.limit)} aria-label="Seats used" />}
        {license && license.status !== 'active' && (
          <p role="alert" className="error">
            The license is {license.status}: the workspace is read-only (nothing is lost). Contact us to renew it.
          </p>
        )}
        {full && (
          <p role="status" className="error">
            Every seat is taken (members and pending invitations count): remove a member or revoke an invitation to add someone, or ask us for a bigger plan.
          </p>
        )}
      </article>
      {(Object.keys(METRICS) as UsageMetric[]).map((metric) => {
        const { used, limit, days } = usage[metric];
        const near = limit !== null && used >= limit * 0.8;
        return (
          <article key={metric} className="card" aria-label={METRICS[metric]}>
            <h2>{METRICS[metric]} this month</h2>
            <p data-testid={`usage-${metric}`}>{limit === null ? `${used.toLocaleString()} (unlimited)` : `${used.toLocaleString()} of ${limit.toLocaleString()}`}</p>
            {limit !== null && <meter min={0} max={limit} value={Math.min(used, limit)} aria-label={`${METRICS[metric]} used`} />}
            {near && (
              <p role="status" className="error">
                {used >= limit! ? 'The allowance is used up' : 'Over 80% of the allowance is used'}; it starts again on {new Date(usageResetsAt).toLocaleDateString()}.
              </p>
            )}
            <Suspense fallback={<p className="hint">Loading the chart…</p>}>
              <UsageChart days={days} label={METRICS[metric]} />
            </Suspense>
          </article>
        );
      })}
    </section>
  );
}
