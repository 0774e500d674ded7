import type { SsoLinkConfirmed } from '@tenantry/contracts';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api, ApiError } from '../../api/client';
import { takeLinkToken } from '../../ui/link-token';
import { Notice } from '../../ui/Notice';
import { startSso } from './sso-api';

/** The mailed link that lets a tenant's identity provider sign in an existing account; then on to sign in through it. */
export function SsoConfirmLinkPage() {
  const token = takeLinkToken();
  const confirm = useMutation({ mutationFn: () => api<SsoLinkConfirmed>('/sso/link/confirm', { method: 'POST', body: { token } }) });
  const { mutate } = confirm;
  const sent = useRef(false); // once, also under StrictMode's double effects: the link is single-use
  useEffect(() => {
    if (token && !sent.current) {
      sent.current = true;
      mutate();
    }
  }, [token, mutate]);
  if (!token) return <Notice title="Confirmation link incomplete">Open the link from your email again.</Notice>;
  if (confirm.data) {
    const { connectionName, loginUrl } = confirm.data;
    return (
      <Notice title="Confirmed">
        {connectionName} may sign you in from now on.{' '}
        <button type="button" className="button" onClick={() => startSso(loginUrl, '/')}>Continue with {connectionName}</button>
      </Notice>
    );
  }
  if (confirm.isError) return <Notice title="This link can not be used">{confirm.error instanceof ApiError ? confirm.error.message : 'The service cannot be reached.'}</Notice>;
  return <Notice title="Confirming…">One moment.</Notice>;
}
