import type { AuthTokenResponse } from '@tenantry/contracts';
import { navigate } from '../../ui/navigation';
import { useCreateApiKey } from '../api-keys/api-keys-api';

const RETURNS: Record<string, string> = {
  done: 'Thank you: the subscription starts as soon as Stripe confirms the payment (see Billing).',
  cancelled: 'Checkout was cancelled: the workspace is on the free plan. Subscribe any time from Billing.',
  failed: 'The payment page could not be opened: the workspace is on the free plan. Try again from Billing.',
};

/** The signup wizard's last step: the workspace is ready; the first API key (shown once) and how to call the API with it. */
export function WelcomePage({ session }: { session: AuthTokenResponse }) {
  const create = useCreateApiKey();
  const returned = new URLSearchParams(location.search).get('checkout');
  const slug = session.tenant!.slug;
  // The tenant's own address: this one after Checkout, else its subdomain of the bare address signup ran on.
  const base = `${location.protocol}//${location.host.startsWith(`${slug}.`) ? location.host : `${slug}.${location.host}`}`;
  return (
    <section aria-labelledby="welcome-title">
      <h1 id="welcome-title">{session.tenant!.name} is ready</h1>
      {returned && RETURNS[returned] && <p role="status">{RETURNS[returned]}</p>}
      <article className="card" aria-label="First API key">
        <h2>Your first API key</h2>
        {!create.data ? (
          <>
            <p>Connect your tools: a key reads and writes contacts of this workspace.</p>
            <button
              type="button"
              className="button"
              disabled={create.isPending}
              onClick={() => create.mutate({ name: 'Quick start', scopes: ['contacts.read', 'contacts.write'] })}
            >
              Create an API key
            </button>
          </>
        ) : (
          <>
            <p>Copy it now: it is shown only once.</p>
            <pre data-testid="api-key-secret">{create.data.secret}</pre>
            <h3>Quick start</h3>
            <pre data-testid="quick-start">{`curl -H "Authorization: Bearer ${create.data.secret}" \\\n  ${base}/api/contacts`}</pre>
          </>
        )}
        {create.error && (
          <p role="alert" className="error">
            {create.error.message}
          </p>
        )}
      </article>
      <button type="button" className="button" onClick={() => navigate('/')}>
        Open {session.tenant!.name}
      </button>
    </section>
  );
}
