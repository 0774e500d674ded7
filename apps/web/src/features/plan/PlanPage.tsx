import { type AuthTokenResponse, can, type TenantPlan, type UsageMetric } from '@tenantry/contracts';
import { lazy, Suspense } from 'react';
import { useConfirm } from '../../ui/ConfirmDialog';
import { useToast } from '../../ui/Toaster';
import { daysUntil, useStartTrial, useTenantPlan } from './plan-api';

// recharts is large: loaded with this page only, not at boot.
const UsageChart = lazy(() => import('./UsageChart').then((m) => ({ default: m.UsageChart })));

const METRICS: Record<UsageMetric, string> = { api_calls: 'API calls', contacts: 'New contacts' };

/** Settings → Plan & usage: the plan and its seats (members plus pending invitations), usage this month, license and trials. */
export function PlanPage({ session }: { session: AuthTokenResponse }) {
  const current = useTenantPlan();
  if (current.isError)
    return (
      <p role="alert" className="error">
        {(current.error as Error).message}
      </p>
    );
  if (!current.data) return <p className="hint">Loading…</p>;
  const { plan, license, seats, usage, usageResetsAt, trial } = current.data;
  const full = seats.limit !== null && seats.used >= seats.limit;
  return (
    <section aria-labelledby="plan-title">
      <h1 id="plan-title">Plan &amp; usage</h1>
      <article className="card" aria-label="Plan">
        <h2>{plan.name} plan</h2>
        <dl className="dns-record">
          <dt>License</dt>
          <dd data-testid="license">
            {license
              ? `${license.status}${license.validUntil ? `, until ${new Date(license.validUntil).toLocaleDateString()}` : ', no end'}`
              : 'none (the plan applies)'}
          </dd>
          <dt>Seats</dt>
          <dd data-testid="seats">
            {seats.limit === null ? `${seats.used} used (unlimited)` : `${seats.used} of ${seats.limit} used`}
          </dd>
        </dl>
        {seats.limit !== null && (
          <meter min={0} max={seats.limit} value={Math.min(seats.used, seats.limit)} aria-label="Seats used" />
        )}
        {license && license.status !== 'active' && (
          <p role="alert" className="error">
            The license is {license.status}: the workspace is read-only (nothing is lost). Contact us to renew it.
          </p>
        )}
        {trial && (
          <p role="status" data-testid="trial">
            Trial of {plan.name}: {daysUntil(trial.endsAt)} days left (until{' '}
            {new Date(trial.endsAt).toLocaleDateString()}); then back to the {trial.planAfter} plan and its limits.
          </p>
        )}
        {full && (
          <p role="status" className="error">
            Every seat is taken (members and pending invitations count): remove a member or revoke an invitation to add
            someone, or ask us for a bigger plan.
          </p>
        )}
      </article>
      {can(session.role, 'plan.manage') && !session.impersonation && <TrialOffers offers={current.data.trialOffers} />}
      {(Object.keys(METRICS) as UsageMetric[]).map((metric) => {
        const { used, limit, days } = usage[metric];
        const near = limit !== null && used >= limit * 0.8;
        return (
          <article key={metric} className="card" aria-label={METRICS[metric]}>
            <h2>{METRICS[metric]} this month</h2>
            <p data-testid={`usage-${metric}`}>
              {limit === null
                ? `${used.toLocaleString()} (unlimited)`
                : `${used.toLocaleString()} of ${limit.toLocaleString()}`}
            </p>
            {limit !== null && (
              <meter min={0} max={limit} value={Math.min(used, limit)} aria-label={`${METRICS[metric]} used`} />
            )}
            {near && (
              <p role="status" className="error">
                {used >= limit! ? 'The allowance is used up' : 'Over 80% of the allowance is used'}; it starts again on{' '}
                {new Date(usageResetsAt).toLocaleDateString()}.
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

/** Plans the tenant may try (once, for their trial days). */
function TrialOffers({ offers }: { offers: TenantPlan['trialOffers'] }) {
  const start = useStartTrial();
  const confirm = useConfirm();
  const toast = useToast();
  if (offers.length === 0) return null;
  const onTry = async (offer: TenantPlan['trialOffers'][number]) => {
    const confirmed = await confirm({
      title: `Start the ${offer.trialDays}-day ${offer.name} trial?`,
      description: `A workspace tries one plan, once: no other trial can follow. After ${offer.trialDays} days it goes back to its plan and its limits; nothing is deleted.`,
      confirmLabel: 'Start trial',
      danger: false,
    });
    if (confirmed)
      start.mutate(offer.code, {
        onSuccess: () => toast.success(`The ${offer.name} trial has started`),
        onError: () => toast.failure('The trial did not start'),
      });
  };
  return (
    <article className="card" aria-label="Try a plan">
      <h2>Try a plan</h2>
      <p className="hint">
        A workspace can try one plan once; when the trial ends it goes back to its plan (nothing is deleted).
      </p>
      <div className="row">
        {offers.map((o) => (
          <button
            key={o.code}
            type="button"
            className="button button-ghost"
            disabled={start.isPending}
            onClick={() => void onTry(o)}
          >
            Try {o.name} free for {o.trialDays} days
          </button>
        ))}
      </div>
      {start.error && (
        <p role="alert" className="error">
          {start.error.message}
        </p>
      )}
    </article>
  );
}
