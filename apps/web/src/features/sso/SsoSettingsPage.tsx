import type { SsoConnection, TenantRole } from '@tenantry/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useDomains } from '../domains/domains-api';
import { useRemoveSsoConnection, useSaveSsoConnection, useSsoConnections } from './sso-api';

/**
 * Settings → Single sign-on: the tenant's SAML identity providers. `trust`
 * (owners): add and remove them and change what they trust (the IdP, domains,
 * attributes, IdP-initiated sign-in) and turn them back on; admins rename, turn off, map roles.
 */
export function SsoSettingsPage({ trust }: { trust: boolean }) {
  const connections = useSsoConnections();
  return (
    <section aria-labelledby="sso-title">
      <h1 id="sso-title">Single sign-on</h1>
      <p className="hint">
        Connect your SAML identity provider (Okta, Entra ID, Google Workspace, …) and choose which of your verified
        domains it signs people in for: on the sign-in page, an email's domain picks the provider, and people of other
        domains are refused.
      </p>
      {connections.data?.map((c) => (
        <ConnectionCard key={c.id} connection={c} trust={trust} />
      ))}
      {connections.data?.length === 0 && <p className="hint">No identity provider yet.</p>}
      {trust ? <ConnectionForm trust /> : <p className="hint">{OWNERS_ONLY}</p>}
    </section>
  );
}

const OWNERS_ONLY =
  'Only owners add identity providers, turn a disabled one back on, or change which one a connection trusts, its domains, attributes and IdP-initiated sign-in: an identity provider can sign in anyone of its domains, owners included. Owners are told by email of every such change.';

/** Checkboxes of the tenant's verified domains. */
function DomainPicker({
  value,
  onChange,
  disabled,
}: {
  value: string[];
  onChange: (domains: string[]) => void;
  disabled?: boolean;
}) {
  const verified = (useDomains().data ?? []).filter((d) => d.status === 'verified');
  if (verified.length === 0)
    return <p className="hint">Verify a domain (Settings → Domains) so people can sign in through this provider.</p>;
  return (
    <fieldset className="domain-picker">
      <legend>Signs in people of</legend>
      {verified.map((d) => (
        <label key={d.id}>
          <input
            type="checkbox"
            checked={value.includes(d.domain)}
            disabled={disabled}
            onChange={(e) => onChange(e.target.checked ? [...value, d.domain] : value.filter((x) => x !== d.domain))}
          />{' '}
          @{d.domain}
        </label>
      ))}
    </fieldset>
  );
}

function ConnectionCard({ connection, trust }: { connection: SsoConnection; trust: boolean }) {
  const save = useSaveSsoConnection();
  const saveError = save.error instanceof ApiError ? save.error : null;
  const [editing, setEditing] = useState(false);
  const remove = useRemoveSsoConnection();
  const confirm = useConfirm();
  const toast = useToast();
  const onRemove = async () => {
    const confirmed = await confirm({
      title: `Remove ${connection.name}?`,
      description:
        'Its users can no longer sign in through it, and its settings (IdP, certificate, role mapping, domains) are lost. Their accounts stay.',
      confirmLabel: 'Remove identity provider',
    });
    if (confirmed)
      remove.mutate(connection.id, {
        onSuccess: () => toast.success(`${connection.name} removed`),
        onError: (error) => toast.failure(`${connection.name} was not removed`, error),
      });
  };
  const onToggle = () =>
    save.mutate(
      { id: connection.id, input: { enabled: !connection.enabled } },
      {
        onSuccess: () => toast.success(`${connection.name} ${connection.enabled ? 'disabled' : 'enabled'}`),
        onError: () => toast.failure(`${connection.name} was not ${connection.enabled ? 'disabled' : 'enabled'}`),
      },
    );
  return (
    <article className="card" aria-label={connection.name}>
      <div className="row spread">
        <h2>
          {connection.name} <span className="badge">{connection.enabled ? 'enabled' : 'disabled'}</span>
        </h2>
        <span className="row">
          {(connection.enabled || trust) && (
            <button type="button" className="button button-ghost" onClick={onToggle} disabled={save.isPending}>
              {connection.enabled ? 'Disable' : 'Enable'}
            </button>
          )}
          {trust && (
            <button
              type="button"
              className="button button-ghost"
              onClick={() => void onRemove()}
              aria-label={`Remove ${connection.name}`}
            >
              Remove
            </button>
          )}
        </span>
      </div>
      <dl className="dns-record">
        <dt>Identity provider</dt>
        <dd>
          <code>{connection.idp.entityId}</code>
        </dd>
        <dt>Certificate</dt>
        <dd>
          {connection.idp.certificates
            .map((c) => `${c.subject}, valid until ${new Date(c.validTo).toLocaleDateString()}`)
            .join('; ')}
        </dd>
        <dt>New users get</dt>
        <dd>
          {connection.defaultRole}
          {connection.groupRoles.map((g) => `; ${g.group} → ${g.role}`).join('')}
        </dd>
        <dt>Signs in people of</dt>
        <dd>
          {connection.domains.length
            ? connection.domains.map((d) => `@${d}`).join(', ')
            : 'no domain yet: nobody can sign in through it'}
        </dd>
        <dt>Started at the IdP</dt>
        <dd>{connection.allowIdpInitiated ? 'accepted' : 'refused'}</dd>
      </dl>
      {saveError && (
        <p role="alert" className="error">
          {saveError.message}
        </p>
      )}
      {editing ? (
        <ConnectionForm connection={connection} trust={trust} onDone={() => setEditing(false)} />
      ) : (
        <button type="button" className="button button-ghost" onClick={() => setEditing(true)}>
          Edit settings
        </button>
      )}
      <p>Give your identity provider:</p>
      <dl className="dns-record">
        <dt>Entity ID</dt>
        <dd>
          <code>{connection.serviceProvider.entityId}</code>
        </dd>
        <dt>ACS URL</dt>
        <dd>
          <code>{connection.serviceProvider.acsUrl}</code>
        </dd>
        <dt>Metadata</dt>
        <dd>
          <a href={connection.serviceProvider.metadataUrl}>{connection.serviceProvider.metadataUrl}</a>
        </dd>
      </dl>
    </article>
  );
}

const ROLES = ['member', 'viewer', 'admin'] as const;
const ATTRIBUTES = [
  ['email', 'Email attribute', 'empty: the NameID'],
  ['firstName', 'First name attribute', 'givenName'],
  ['lastName', 'Last name attribute', 'sn'],
  ['groups', 'Groups attribute', 'memberOf'],
] as const;
type Mapping = Record<(typeof ATTRIBUTES)[number][0], string>;

/** Adds an identity provider, or (given `connection`) edits one: IdP settings, roles, attribute mapping, domains (without `trust`, only name and roles). */
function ConnectionForm({
  connection,
  trust,
  onDone,
}: {
  connection?: SsoConnection;
  trust: boolean;
  onDone?: () => void;
}) {
  const save = useSaveSsoConnection();
  const toast = useToast();
  const [name, setName] = useState(connection?.name ?? '');
  const [byHand, setByHand] = useState(false);
  const [metadataXml, setMetadataXml] = useState('');
  const [idp, setIdp] = useState({
    idpEntityId: connection?.idp.entityId ?? '',
    idpSsoUrl: connection?.idp.ssoUrl ?? '',
    idpCertificate: '',
  });
  const [defaultRole, setDefaultRole] = useState<TenantRole>(connection?.defaultRole ?? 'member');
  const [mapping, setMapping] = useState<Mapping>({
    email: connection?.attributeMapping.email ?? '',
    firstName: connection?.attributeMapping.firstName ?? '',
    lastName: connection?.attributeMapping.lastName ?? '',
    groups: connection?.attributeMapping.groups ?? '',
  });
  const [groupRoles, setGroupRoles] = useState(connection?.groupRoles ?? []);
  const [domains, setDomains] = useState<string[]>(connection?.domains ?? []);
  const [allowIdpInitiated, setAllowIdpInitiated] = useState(connection?.allowIdpInitiated ?? false);
  const xmlId = useId();
  const roleId = useId();
  const error = save.error instanceof ApiError ? save.error : null;
  const onFile = async (file: File | undefined) => setMetadataXml(file ? await file.text() : '');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const attributeMapping = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v.trim() !== ''));
    const idpSettings = byHand
      ? {
          idpEntityId: idp.idpEntityId,
          idpSsoUrl: idp.idpSsoUrl,
          ...(idp.idpCertificate ? { idpCertificate: idp.idpCertificate } : {}),
        }
      : metadataXml
        ? { metadataXml }
        : {};
    const roles = { name, defaultRole, groupRoles: groupRoles.filter((g) => g.group.trim()) };
    save.mutate(
      {
        id: connection?.id,
        input: trust ? { ...roles, ...idpSettings, attributeMapping, domains, allowIdpInitiated } : roles,
      },
      {
        onSuccess: (saved) => {
          toast.success(connection ? `${saved.name} saved` : `${saved.name} added`);
          if (!connection) {
            setName('');
            setMetadataXml('');
            setDomains([]);
            setGroupRoles([]);
            setAllowIdpInitiated(false);
            setMapping({ email: '', firstName: '', lastName: '', groups: '' });
          }
          onDone?.();
        },
        onError: () =>
          toast.failure(connection ? `${connection.name} was not saved` : 'The identity provider was not added'),
      },
    );
  };
  const title = connection ? `Settings of ${connection.name}` : 'Add an identity provider';
  return (
    <form className="card" onSubmit={onSubmit} aria-label={title}>
      <h2>{title}</h2>
      <TextField
        label="Name"
        value={name}
        onChange={setName}
        placeholder="Okta"
        required
        error={error?.fieldErrors.name}
      />
      {!trust && <p className="hint">{OWNERS_ONLY}</p>}
      {trust &&
        (byHand ? (
          <>
            <TextField
              label="IdP entity ID"
              value={idp.idpEntityId}
              onChange={(v) => setIdp({ ...idp, idpEntityId: v })}
              required
            />
            <TextField
              label="IdP single sign-on URL"
              value={idp.idpSsoUrl}
              onChange={(v) => setIdp({ ...idp, idpSsoUrl: v })}
              placeholder="https://idp.example.com/sso"
              required
            />
            <div className="field">
              <label htmlFor={xmlId}>Signing certificate (PEM){connection && ' — empty keeps the current one'}</label>
              <textarea
                id={xmlId}
                rows={4}
                value={idp.idpCertificate}
                onChange={(e) => setIdp({ ...idp, idpCertificate: e.target.value })}
                required={!connection}
                placeholder="-----BEGIN CERTIFICATE-----"
              />
            </div>
          </>
        ) : (
          <div className="field">
            <label htmlFor={xmlId}>IdP metadata XML{connection && ' — empty keeps the current IdP settings'}</label>
            <textarea
              id={xmlId}
              rows={6}
              value={metadataXml}
              onChange={(e) => setMetadataXml(e.target.value)}
              required={!connection}
              placeholder="<md:EntityDescriptor …"
            />
            <input
              type="file"
              accept=".xml,application/xml,text/xml"
              aria-label="Upload metadata file"
              onChange={(e) => void onFile(e.target.files?.[0])}
            />
          </div>
        ))}
      {trust && (
        <button type="button" className="button button-ghost" onClick={() => setByHand(!byHand)}>
          {byHand ? 'Use the metadata XML instead' : 'Enter entity ID, SSO URL and certificate by hand'}
        </button>
      )}
      <div className="field">
        <label htmlFor={roleId}>Role of new users</label>
        <select id={roleId} value={defaultRole} onChange={(e) => setDefaultRole(e.target.value as TenantRole)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <fieldset disabled={!trust}>
        <legend>Attributes your IdP sends</legend>
        {ATTRIBUTES.map(([key, label, placeholder]) => (
          <TextField
            key={key}
            label={label}
            value={mapping[key]}
            onChange={(v) => setMapping({ ...mapping, [key]: v })}
            placeholder={placeholder}
          />
        ))}
      </fieldset>
      <fieldset>
        <legend>Roles by group (first match wins; kept in step at every sign-in; owners are never changed)</legend>
        {groupRoles.map((g, i) => (
          <div className="row" key={i}>
            <TextField
              label={`Group ${i + 1}`}
              value={g.group}
              onChange={(v) => setGroupRoles(groupRoles.map((x, j) => (j === i ? { ...x, group: v } : x)))}
            />
            <select
              aria-label={`Role of group ${i + 1}`}
              value={g.role}
              onChange={(e) =>
                setGroupRoles(groupRoles.map((x, j) => (j === i ? { ...x, role: e.target.value as TenantRole } : x)))
              }
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button button-ghost"
              onClick={() => setGroupRoles(groupRoles.filter((_, j) => j !== i))}
              aria-label={`Remove group ${i + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button button-ghost"
          onClick={() => setGroupRoles([...groupRoles, { group: '', role: 'admin' }])}
        >
          Add a group rule
        </button>
      </fieldset>
      <DomainPicker value={domains} onChange={setDomains} disabled={!trust} />
      <label>
        <input
          type="checkbox"
          checked={allowIdpInitiated}
          disabled={!trust}
          onChange={(e) => setAllowIdpInitiated(e.target.checked)}
        />{' '}
        Accept sign-ins started at the identity provider (its app tile); audience, recipient and replay are still
        checked
      </label>
      {error && (
        <p role="alert" className="error">
          {error.message}
          {typeof error.details?.reason === 'string' ? ` (${error.details.reason})` : ''}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : connection ? 'Save settings' : 'Add identity provider'}
        </button>
        {onDone && (
          <button type="button" className="button button-ghost" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
