import { API_KEY_SCOPES, type ApiKeyScope, type AuthTokenResponse, can, type CreatedApiKey } from '@tenantry/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from './api-keys-api';

/** Settings → API keys: create with scopes (never beyond your own role), copy the secret once, revoke. */
export function ApiKeysPage({ session }: { session: AuthTokenResponse }) {
  const grantable = API_KEY_SCOPES.filter((scope) => can(session.role, scope));
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const confirm = useConfirm();
  const toast = useToast();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['contacts.read']);
  const [expiresOn, setExpiresOn] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const error = [create.error, revoke.error].find((e) => e instanceof ApiError);

  const toggle = (scope: ApiKeyScope) =>
    setScopes((prev) => (prev.includes(scope) ? prev.filter((s) => s !== scope) : [...prev, scope]));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const expiresAt = expiresOn ? new Date(`${expiresOn}T23:59:59`).toISOString() : undefined;
    create.mutate(
      { name, scopes, expiresAt },
      {
        onSuccess: (result) => {
          setCreated(result);
          setName('');
        },
        onError: () => toast.failure('The key was not created'),
      },
    );
  };
  const onRevoke = async (id: string, label: string) => {
    const confirmed = await confirm({
      title: `Revoke ${label}?`,
      description: 'Programs using this key stop working at once; a revoked key cannot be used again.',
      confirmLabel: 'Revoke key',
    });
    if (confirmed)
      revoke.mutate(id, {
        onSuccess: () => toast.success(`${label} revoked`),
        onError: () => toast.failure(`${label} was not revoked`),
      });
  };
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      {created && <SecretDialog created={created} onClose={() => setCreated(null)} />}
      <form className="card" onSubmit={onSubmit} aria-labelledby="new-key-title">
        <h2 id="new-key-title">New key</h2>
        <TextField
          label="Key name"
          value={name}
          onChange={setName}
          placeholder="CRM sync"
          required
          error={create.error instanceof ApiError ? create.error.fieldErrors.name : undefined}
        />
        <fieldset className="scopes">
          <legend>Scopes</legend>
          {grantable.map((scope) => (
            <label key={scope}>
              <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} /> {scope}
            </label>
          ))}
        </fieldset>
        <TextField label="Expires on (optional)" type="date" value={expiresOn} onChange={setExpiresOn} />
        {error && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        <button type="submit" className="button" disabled={create.isPending || scopes.length === 0}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Scopes</th>
            <th>Last used</th>
            <th>Expires</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.data?.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.scopes.join(', ')}</td>
              <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
              <td>
                {k.status === 'expired'
                  ? 'expired'
                  : k.expiresAt
                    ? new Date(k.expiresAt).toLocaleDateString()
                    : 'never'}
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() => void onRevoke(k.id, k.name)}
                  aria-label={`Revoke ${k.name}`}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys.data?.length === 0 && <p className="hint">No API keys yet.</p>}
    </section>
  );
}

/** Shows a new key's secret the one time it exists in the clear. */
function SecretDialog({ created, onClose }: { created: CreatedApiKey; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(created.secret);
    setCopied(true);
  };
  return (
    <div className="card secret" role="dialog" aria-modal="false" aria-labelledby="secret-title">
      <h2 id="secret-title">Copy your new key now</h2>
      <p>
        This is the only time <strong>{created.apiKey.name}</strong> is shown. Store it in your secret manager; we keep
        only a hash.
      </p>
      <code data-testid="api-key-secret">{created.secret}</code>
      <span className="row">
        <button type="button" className="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button button-ghost" onClick={onClose}>
          I have stored it
        </button>
      </span>
    </div>
  );
}
