import { navigate } from '../../ui/navigation';
import { daysUntil, nearLimits, useTenantPlan } from './plan-api';

/** For admins in every page: limits at 80 % or more, and a trial ending within 3 days, with the way to the plan page. */
export function LimitBanner() {
  const plan = useTenantPlan();
  if (!plan.data) return null;
  const near = nearLimits(plan.data);
  const trialDays = plan.data.trial ? daysUntil(plan.data.trial.endsAt) : null;
  const trialEnding = trialDays !== null && trialDays <= 3;
  if (near.length === 0 && !trialEnding) return null;
  return (
    <div className="limit-banner" role="status" data-testid="limit-banner">
      {near.length > 0 && (
        <>
          Close to the limits of the {plan.data.plan.name} plan: {near.join(', ')}.{' '}
        </>
      )}
      {trialEnding && (
        <>
          The {plan.data.plan.name} trial ends in {trialDays} {trialDays === 1 ? 'day' : 'days'}.{' '}
        </>
      )}
      <a
        href="/settings/plan"
        onClick={(e) => {
          e.preventDefault();
          navigate('/settings/plan');
        }}
      >
        See plan &amp; usage
      </a>
    </div>
  );
}
