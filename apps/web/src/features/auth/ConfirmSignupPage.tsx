import type { RedirectUrl } from '@tenantry/contracts';
import { api, ApiError } from '../../api/client';
import { useSendLinkTokenOnce } from '../../ui/link-token';
import { navigate } from '../../ui/navigation';
import { Notice } from '../../ui/Notice';
import { pickedTenant } from '../tenant/picked-tenant';
import { useConfirmSignup } from './auth-api';
import { session } from './session';

const CHECKOUT_KEY = 'tenantry.signup-checkout';

/** The paid plan a signup chose (Stripe mode): Checkout follows once the mailed link created the workspace. */
export const checkoutAfterSignup = {
  set: (plan: string | null): void =>
    plan ? localStorage.setItem(CHECKOUT_KEY, plan) : localStorage.removeItem(CHECKOUT_KEY),
  take: (): string | null => {
    const plan = localStorage.getItem(CHECKOUT_KEY);
    localStorage.removeItem(CHECKOUT_KEY);
    return plan;
  },
};

/** The page a signup email links to: creates the workspace, signs its owner in, and goes on to the welcome page (or Checkout). */
export function ConfirmSignupPage() {
  const confirm = useConfirmSignup();
  const token = useSendLinkTokenOnce((linkToken) =>
    confirm.mutate(linkToken, {
      onSuccess: (result) => {
        pickedTenant.set(result.tenant!.slug);
        session.set(result);
        const plan = checkoutAfterSignup.take();
        if (!plan) return navigate('/welcome');
        // The workspace exists (free plan) whatever Stripe answers: the welcome page says so, and Billing can try again.
        api<RedirectUrl>('/billing/checkout', { method: 'POST', body: { plan, returnTo: 'welcome' } }).then(
          ({ url }) => location.assign(url),
          () => navigate('/welcome?checkout=failed'),
        );
      },
    }),
  );
  if (!token) return <Notice title="Signup link incomplete">Open the link from your email again.</Notice>;
  if (confirm.isError) {
    const error = confirm.error instanceof ApiError ? confirm.error : null;
    const next = error?.code === 'EMAIL_TAKEN' ? <a href="/">Sign in</a> : <a href="/">Sign up again</a>;
    return (
      <Notice title="This link can not be used">
        {error ? error.message : 'The service cannot be reached.'} {next}.
      </Notice>
    );
  }
  return <Notice title="Creating your workspace…">One moment.</Notice>;
}
