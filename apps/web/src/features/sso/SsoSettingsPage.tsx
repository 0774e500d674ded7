import type { SsoConnection, TenantRole } from '@tenantry/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { useRemoveSsoConnection, useSaveSsoConnection, useSsoConnections } from './sso-api';

/** Settings → Single sign-on: the tenant's SAML identity providers. */
export function SsoSettingsPage() {
  const connections = useSsoConnections();
  return (
    <section aria-labelledby="sso-title">
      <h1 id="sso-title">Single sign-on</h1>
      <p className="hint">Connect your SAML identity provider (Okta, Entra ID, Google Workspace, …). Only people whose email is on one of your verified domains can sign in through it.</p>
      {connections.data?.map((c) => <ConnectionCard key={c.id} connection={c} />)}
      {connections.data?.length === 0 && <p className="hint">No identity provider yet.</p>}
      <NewConnectionForm />
    </section>
  );
}

function ConnectionCard({ connection }: { connection: SsoConnection }) {
  const save = useSaveSsoConnection();
  const remove = useRemoveSsoConnection();
  const onRemove = () => {
    if (confirm(`Remove ${connection.name}? Its users can no longer sign in through it.`)) remove.mutate(connection.id);
  };
  return (
    <article className="card" aria-label={connection.name}>
      <div className="row spread">
        <h2>{connection.name} <span className="badge">{connection.enabled ? 'enabled' : 'disabled'}</span></h2>
        <span className="row">
          <button type="button" className="button button-ghost" onClick={() => save.mutate({ id: connection.id, input: { enabled: !connection.enabled } })} disabled={save.isPending}>
            {connection.enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" className="button button-ghost" onClick={onRemove} aria-label={`Remove ${connection.name}`}>Remove</button>
        </span>
      </div>
      <dl className="dns-record">
        <dt>Identity provider</dt><dd><code>{connection.idp.entityId}</code></dd>
        <dt>Certificate</dt><dd>{connection.idp.certificates.map((c) => `${c.subject}, valid until ${new Date(c.validTo).toLocaleDateString()}`).join('; ')}</dd>
        <dt>New users get</dt><dd>{connection.defaultRole}</dd>
      </dl>
      <p>Give your identity provider:</p>
      <dl className="dns-record">
        <dt>Entity ID</dt><dd><code>{connection.serviceProvider.entityId}</code></dd>
        <dt>ACS URL</dt><dd><code>{connection.serviceProvider.acsUrl}</code></dd>
        <dt>Metadata</dt><dd><a href={connection.serviceProvider.metadataUrl}>{connection.serviceProvider.metadataUrl}</a></dd>
      </dl>
    </article>
  );
}

function NewConnectionForm() {
  const save = useSaveSsoConnection();
  const [name, setName] = useState('');
  const [metadataXml, setMetadataXml] = useState('');
  const [defaultRole, setDefaultRole] = useState<TenantRole>('member');
  const [groups, setGroups] = useState('');
  const xmlId = useId();
  const roleId = useId();
  const error = save.error instanceof ApiError ? save.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { input: { name, metadataXml, defaultRole, attributeMapping: groups ? { groups } : undefined } },
      { onSuccess: () => { setName(''); setMetadataXml(''); } },
    );
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="new-sso-title">
      <h2 id="new-sso-title">Add an identity provider</h2>
      <TextField label="Name" value={name} onChange={setName} placeholder="Okta" required error={error?.fieldErrors.name} />
      <div className="field">
        <label htmlFor={xmlId}>IdP metadata XML</label>
        <textarea id={xmlId} rows={6} value={metadataXml} onChange={(e) => setMetadataXml(e.target.value)} required placeholder="<md:EntityDescriptor …" />
      </div>
      <div className="field">
        <label htmlFor={roleId}>Role of new users</label>
        <select id={roleId} value={defaultRole} onChange={(e) => setDefaultRole(e.target.value as TenantRole)}>
          {(['member', 'viewer', 'admin'] as const).map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </div>
      <TextField label="Groups attribute (optional)" value={groups} onChange={setGroups} placeholder="memberOf" />
      {error && <p role="alert" className="error">{error.message}{typeof error.details?.reason === 'string' ? ` (${error.details.reason})` : ''}</p>}
      <button type="submit" className="button" disabled={save.isPending}>{save.isPending ? 'Saving…' : 'Add identity provider'}</button>
    </form>
  );
}
