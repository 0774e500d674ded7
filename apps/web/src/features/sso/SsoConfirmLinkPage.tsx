import type { SsoLinkConfirmed, SsoLinkPreview } from '@tenantry/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { takeLinkToken } from '../../ui/link-token';
import { Notice } from '../../ui/Notice';
import { startSso } from './sso-api';

const messageOf = (error: unknown) => (error instanceof ApiError ? error.message : 'The service cannot be reached.');

/**
 * The mailed link that lets a tenant's identity provider sign in an existing
 * account. Opening it only shows what it would confirm (mail scanners open
 * links too): the person confirms with the button, then signs in through it.
 */
export function SsoConfirmLinkPage() {
  const token = takeLinkToken();
  const preview = useQuery({
    queryKey: ['sso-link-preview', token],
    queryFn: () => api<SsoLinkPreview>('/sso/link/preview', { method: 'POST', body: { token } }),
    enabled: !!token,
    retry: false,
  });
  const confirm = useMutation({
    mutationFn: () => api<SsoLinkConfirmed>('/sso/link/confirm', { method: 'POST', body: { token } }),
  });
  const [declined, setDeclined] = useState(false);
  if (!token) return <Notice title="Confirmation link incomplete">Open the link from your email again.</Notice>;
  if (confirm.data) {
    const { connectionName, loginUrl } = confirm.data;
    return (
      <Notice title="Confirmed">
        {connectionName} may sign you in from now on.{' '}
        <button type="button" className="button" onClick={() => startSso(loginUrl, '/')}>
          Continue with {connectionName}
        </button>
      </Notice>
    );
  }
  if (confirm.isError) return <Notice title="This link can not be used">{messageOf(confirm.error)}</Notice>;
  if (preview.isError) return <Notice title="This link can not be used">{messageOf(preview.error)}</Notice>;
  if (!preview.data) return <Notice title="Loading…">One moment.</Notice>;
  const { tenantName, connectionName, idpEntityId, email } = preview.data;
  if (declined) {
    return (
      <Notice title="Nothing was changed">
        {connectionName} still cannot sign in {email}. Tell an owner of {tenantName}: someone signed in through their
        identity provider with your address.
      </Notice>
    );
  }
  return (
    <div className="centered">
      <section className="card" aria-labelledby="sso-link-title">
        <h1 id="sso-link-title">
          Sign in to {tenantName} through {connectionName}?
        </h1>
        <p>
          Someone signed in as <strong>{email}</strong> through {connectionName}, the identity provider of {tenantName}{' '}
          (<code>{idpEntityId}</code>).
        </p>
        <p>If that was you, confirm: from now on this identity provider may sign you in to {tenantName}.</p>
        <div className="row">
          <button type="button" className="button" onClick={() => confirm.mutate()} disabled={confirm.isPending}>
            Confirm
          </button>
          <button
            type="button"
            className="button button-ghost"
            onClick={() => setDeclined(true)}
            disabled={confirm.isPending}
          >
            This wasn't me
          </button>
        </div>
      </section>
    </div>
  );
}
