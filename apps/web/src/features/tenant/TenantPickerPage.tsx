import { SLUG_PATTERN } from '@tenantry/contracts';
import { type FormEvent, useState } from 'react';
import { TextField } from '../../ui/TextField';
import { pickedTenant } from './picked-tenant';

/**
 * For hosts without a tenant subdomain: open the tenant's own address
 * (`<slug>.localhost`), or stay on this address and send the tenant as a header.
 */
export function TenantPickerPage({
  notice,
  onOperatorLogin,
  onSignup,
}: {
  notice?: string;
  onOperatorLogin?: () => void;
  onSignup?: () => void;
}) {
  const [slug, setSlug] = useState('');
  const [error, setError] = useState<string>();
  const choose = (mode: 'subdomain' | 'here') => (event?: FormEvent) => {
    event?.preventDefault();
    const value = slug.trim().toLowerCase();
    if (!SLUG_PATTERN.test(value)) return setError('Enter the tenant address, e.g. acme.');
    if (mode === 'subdomain') {
      pickedTenant.clear();
      const host = location.hostname.split('.').slice(-1)[0];
      location.assign(`${location.protocol}//${value}.${host}${location.port ? `:${location.port}` : ''}/`);
    } else {
      pickedTenant.set(value);
      location.reload();
    }
  };
  return (
    <div className="centered">
      <form className="card" onSubmit={choose('subdomain')} aria-labelledby="picker-title">
        <h1 id="picker-title">Choose your workspace</h1>
        {notice && (
          <p role="alert" className="error">
            {notice}
          </p>
        )}
        <TextField label="Tenant" value={slug} onChange={setSlug} placeholder="acme" required error={error} />
        <button type="submit" className="button">
          Go to its address
        </button>
        <button type="button" className="button button-ghost" onClick={() => choose('here')()}>
          Open it here
        </button>
        {onSignup && (
          <button type="button" className="button button-ghost" onClick={onSignup}>
            Create a new workspace
          </button>
        )}
        {onOperatorLogin && (
          <button type="button" className="button button-ghost" onClick={onOperatorLogin}>
            Platform operator sign-in
          </button>
        )}
      </form>
    </div>
  );
}
