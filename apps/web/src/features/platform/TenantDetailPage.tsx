import {
  FEATURES,
  type FeatureCode,
  FEATURE_CODES,
  type PlatformTenantDetail,
  type PlatformTenantRow,
} from '@tenantry/contracts';
import { type FormEvent, type ReactElement, useState } from 'react';
import { ApiError } from '../../api/client';
import { navigate } from '../../ui/navigation';
import { Notice } from '../../ui/Notice';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { AuditLog } from '../audit/AuditLogPage';
import { day, money } from '../billing/billing-api';
import { useFeatureOverride, useTenantBilling, useTenantDetail, useUpdateTenant } from './console-api';
import { LicensesSection } from './LicensesSection';
import { TenantLifecycle } from './LifecycleSection';
import { TenantPlanControl } from './PlansSection';
import { TenantSupport } from './TenantSupport';

const TABS = {
  overview: 'Overview',
  members: 'Members',
  license: 'License',
  billing: 'Billing',
  branding: 'Branding',
  features: 'Features',
  domains: 'Domains',
  sso: 'SSO',
  audit: 'Audit log',
} as const;
type Tab = keyof typeof TABS;

const limitText = (used: number, limit: number | null) =>
  `${used.toLocaleString()} of ${limit === null ? 'unlimited' : limit.toLocaleString()}`;

/** Console → a tenant, in tabs (the address names the tab, so it can be shared and reloaded). */
export function TenantDetailPage({ id, tab }: { id: string; tab: string | undefined }) {
  const detail = useTenantDetail(id);
  const current: Tab = tab && tab in TABS ? (tab as Tab) : 'overview';
  if (detail.isError) return <Notice title="Tenant not found">{(detail.error as Error).message}</Notice>;
  if (!detail.data) return <p role="status">Loading…</p>;
  const d = detail.data;
  const open = (next: Tab) => navigate(`/platform/tenants/${id}${next === 'overview' ? '' : `/${next}`}`);
  return (
    <section aria-labelledby="tenant-title">
      <p>
        <a
          href="/platform/tenants"
          onClick={(e) => {
            e.preventDefault();
            navigate('/platform/tenants');
          }}
        >
          ← Tenants
        </a>
      </p>
      <h1 id="tenant-title">
        {d.tenant.name}{' '}
        <span className="badge" data-testid="tenant-status">
          {d.tenant.status}
        </span>
      </h1>
      <p className="hint">
        {d.url} · {d.tenant.plan} · created {new Date(d.tenant.createdAt).toLocaleDateString()}
      </p>
      <button type="button" className="button button-ghost" onClick={() => open('members')}>
        Impersonate…
      </button>
      <div className="tabs" role="tablist" aria-label="Tenant">
        {(Object.keys(TABS) as Tab[]).map((key) => (
          <button key={key} type="button" role="tab" aria-selected={key === current} onClick={() => open(key)}>
            {TABS[key]}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={TABS[current]}>
        {TAB_CONTENT[current](d)}
      </div>
    </section>
  );
}

const TAB_CONTENT: Record<Tab, (d: PlatformTenantDetail) => ReactElement> = {
  overview: (d) => <Overview detail={d} />,
  members: (d) => <TenantSupport tenant={d.tenant} />,
  license: (d) => (
    <>
      <TenantPlanControl tenant={d.tenant} />
      <LicensesSection tenant={d.tenant} />
    </>
  ),
  billing: (d) => <Billing tenantId={d.tenant.id} />,
  branding: (d) => <Branding detail={d} />,
  features: (d) => <Features detail={d} />,
  domains: (d) => <Domains detail={d} />,
  sso: (d) => <Sso detail={d} />,
  audit: (d) => (
    <AuditLog
      path={`/platform/tenants/${d.tenant.id}/audit-events`}
      title={`Audit log of ${d.tenant.name}`}
      heading="h2"
    />
  ),
};

function Overview({ detail: d }: { detail: PlatformTenantDetail }) {
  const { plan } = d;
  return (
    <>
      <dl className="dns-record" aria-label="Overview">
        <dt>Plan</dt>
        <dd>
          {plan.plan.name}
          {plan.trial ? ` (trial until ${day(plan.trial.endsAt)}, then ${plan.trial.planAfter})` : ''}
        </dd>
        <dt>License</dt>
        <dd>
          {plan.license
            ? `${plan.license.status}, ${plan.license.validUntil ? `until ${day(plan.license.validUntil)}` : 'no end'}`
            : 'none'}
        </dd>
        <dt>Seats</dt>
        <dd data-testid="overview-seats">{limitText(plan.seats.used, plan.seats.limit)}</dd>
        <dt>API calls this month</dt>
        <dd>{limitText(plan.usage.api_calls.used, plan.usage.api_calls.limit)}</dd>
        <dt>New contacts this month</dt>
        <dd>{limitText(plan.usage.contacts.used, plan.usage.contacts.limit)}</dd>
        <dt>Owner</dt>
        <dd>
          {d.tenant.ownerEmail ??
            (d.invitations.find((i) => i.role === 'owner')
              ? `invited: ${d.invitations.find((i) => i.role === 'owner')!.email}`
              : '—')}
        </dd>
        <dt>Members</dt>
        <dd>{d.tenant.members}</dd>
        <dt>Created</dt>
        <dd>{new Date(d.tenant.createdAt).toLocaleString()}</dd>
        <dt>Database</dt>
        <dd>{d.tenant.database ? `dedicated: ${d.tenant.database}` : 'shared'}</dd>
      </dl>
      <RenameForm tenant={d.tenant} />
      <TenantLifecycle tenant={d.tenant} onDeleted={() => navigate('/platform/tenants')} />
    </>
  );
}

function RenameForm({ tenant }: { tenant: PlatformTenantRow }) {
  const update = useUpdateTenant(tenant.id);
  const toast = useToast();
  const [name, setName] = useState(tenant.name);
  const error = update.error instanceof ApiError ? update.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { name },
      {
        onSuccess: () => toast.success(`Renamed to ${name.trim()}`),
        onError: () => toast.failure(`${tenant.name} was not renamed`),
      },
    );
  };
  return (
    <section aria-labelledby="rename-title">
      <h2 id="rename-title">Name</h2>
      <form className="row" onSubmit={onSubmit} aria-label="Rename">
        <div className="grow">
          <TextField
            label="Tenant name"
            value={name}
            onChange={setName}
            required
            error={error?.fieldErrors.name ?? (error && !error.fieldErrors.name ? error.message : undefined)}
          />
        </div>
        <button type="submit" className="button" disabled={update.isPending || name.trim() === tenant.name}>
          Rename
        </button>
      </form>
    </section>
  );
}

function Billing({ tenantId }: { tenantId: string }) {
  const billing = useTenantBilling(tenantId);
  if (billing.isError)
    return (
      <p role="alert" className="error">
        {(billing.error as Error).message}
      </p>
    );
  if (!billing.data) return <p role="status">Loading…</p>;
  const b = billing.data;
  return (
    <>
      <dl className="dns-record" aria-label="Billing">
        <dt>Mode</dt>
        <dd>{b.mode === 'stripe' ? 'Stripe' : 'billed by hand (license)'}</dd>
        <dt>Subscription</dt>
        <dd>
          {b.status.replace('_', ' ')}
          {b.cancelAtPeriodEnd ? ' (ends at the period end)' : ''}
        </dd>
        <dt>Seats paid</dt>
        <dd>
          {b.seats.paid ?? '—'} ({limitText(b.seats.used, b.seats.limit)} used)
        </dd>
        <dt>Period ends</dt>
        <dd>{b.currentPeriodEnd ? day(b.currentPeriodEnd) : '—'}</dd>
        {b.pastDue && (
          <>
            <dt>Past due</dt>
            <dd>
              since {day(b.pastDue.since)}; read-only from {day(b.pastDue.suspendsAt)}
            </dd>
          </>
        )}
        <dt>Next invoice</dt>
        <dd>
          {b.nextInvoice ? `${money(b.nextInvoice.amount, b.nextInvoice.currency)} on ${day(b.nextInvoice.date)}` : '—'}
        </dd>
      </dl>
      {b.invoices.length > 0 && (
        <table className="table" aria-label="Invoices">
          <thead>
            <tr>
              <th>Invoice</th>
              <th>Date</th>
              <th>Amount</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {b.invoices.map((i) => (
              <tr key={i.id}>
                <td>{i.number ?? i.id}</td>
                <td>{day(i.createdAt)}</td>
                <td>{money(i.amount, i.currency)}</td>
                <td>{i.status ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Branding({ detail: d }: { detail: PlatformTenantDetail }) {
  const b = d.branding;
  const color = (c: string | null) =>
    c ? (
      <>
        <span className="swatch" style={{ background: c }} />
        {c}
      </>
    ) : (
      'default'
    );
  return (
    <>
      {!d.features.custom_branding.enabled && (
        <p className="hint">Its plan has no custom branding: its people see the platform's look under its name.</p>
      )}
      <dl className="dns-record" aria-label="Branding">
        <dt>Display name</dt>
        <dd>{b.displayName ?? d.tenant.name}</dd>
        <dt>Primary color</dt>
        <dd data-testid="branding-primary">{color(b.primaryColor)}</dd>
        <dt>Secondary color</dt>
        <dd>{color(b.secondaryColor)}</dd>
        <dt>Welcome message</dt>
        <dd>{b.welcomeMessage ?? '—'}</dd>
        <dt>Footer</dt>
        <dd>{b.footerText ?? '—'}</dd>
        <dt>Email sender</dt>
        <dd>{b.emailFromName ?? `${d.tenant.name} via Tenantry`}</dd>
        <dt>Logo</dt>
        <dd>{b.logoUrl ? <img src={b.logoUrl} alt={`Logo of ${d.tenant.name}`} className="brand-logo" /> : '—'}</dd>
      </dl>
    </>
  );
}

function Features({ detail: d }: { detail: PlatformTenantDetail }) {
  const override = useFeatureOverride();
  const toast = useToast();
  const value = (code: FeatureCode) =>
    d.features[code].source === 'override' ? (d.features[code].enabled ? 'on' : 'off') : 'plan';
  return (
    <table className="table" aria-label="Features">
      <thead>
        <tr>
          <th>Feature</th>
          <th>State</th>
          <th>Decided by</th>
          <th>Override</th>
        </tr>
      </thead>
      <tbody>
        {FEATURE_CODES.map((code) => (
          <tr key={code}>
            <td>
              <code>{code}</code> <span className="hint">{FEATURES[code].description}</span>
            </td>
            <td>{d.features[code].enabled ? 'on' : 'off'}</td>
            <td>{d.features[code].source.replace('_', ' ')}</td>
            <td>
              <select
                value={value(code)}
                aria-label={`Override ${code}`}
                disabled={override.isPending}
                onChange={(e) =>
                  override.mutate(
                    { tenantId: d.tenant.id, code, value: e.target.value as 'plan' | 'on' | 'off' },
                    {
                      onSuccess: () => toast.success(`${code} for ${d.tenant.name}: ${e.target.value}`),
                      onError: (error) => toast.failure(`${code} was not changed`, error),
                    },
                  )
                }
              >
                <option value="plan">as its plan says</option>
                <option value="on">on</option>
                <option value="off">off</option>
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Domains({ detail: d }: { detail: PlatformTenantDetail }) {
  return (
    <>
      <h2>Verified domains</h2>
      {d.domains.length === 0 ? (
        <p className="hint">None claimed.</p>
      ) : (
        <table className="table" aria-label="Verified domains">
          <thead>
            <tr>
              <th>Domain</th>
              <th>Status</th>
              <th>Auto-join</th>
              <th>SSO required</th>
            </tr>
          </thead>
          <tbody>
            {d.domains.map((x) => (
              <tr key={x.id}>
                <td>{x.domain}</td>
                <td>{x.status}</td>
                <td>{x.autoJoin ? 'yes' : 'no'}</td>
                <td>{x.ssoRequired ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Custom domains</h2>
      {d.customDomains.length === 0 ? (
        <p className="hint">None added.</p>
      ) : (
        <table className="table" aria-label="Custom domains">
          <thead>
            <tr>
              <th>Host name</th>
              <th>Status</th>
              <th>Last check</th>
            </tr>
          </thead>
          <tbody>
            {d.customDomains.map((x) => (
              <tr key={x.id}>
                <td>{x.hostname}</td>
                <td>{x.status}</td>
                <td>{x.lastCheckError ?? (x.lastCheckedAt ? day(x.lastCheckedAt) : '—')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Sso({ detail: d }: { detail: PlatformTenantDetail }) {
  if (d.sso.length === 0)
    return <p className="hint">No SAML connection{d.features.sso.enabled ? '' : ' (its plan has no SSO)'}.</p>;
  return (
    <table className="table" aria-label="SSO connections">
      <thead>
        <tr>
          <th>Connection</th>
          <th>Identity provider</th>
          <th>Enabled</th>
          <th>Default role</th>
          <th>Certificate valid to</th>
        </tr>
      </thead>
      <tbody>
        {d.sso.map((c) => (
          <tr key={c.id}>
            <td>{c.name}</td>
            <td>{c.idp.entityId}</td>
            <td>{c.enabled ? 'yes' : 'no'}</td>
            <td>{c.defaultRole}</td>
            <td>{c.idp.certificates.map((x) => day(x.validTo)).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
