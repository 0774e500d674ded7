import { PLATFORM_TENANT_SORTS, type PlatformTenantSort, TENANT_STATUSES } from '@tenantry/contracts';
import { type FormEvent, useDeferredValue, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { navigate } from '../../ui/navigation';
import { TextField } from '../../ui/TextField';
import { type TenantListFilter, useCreateTenant, useDedicatedDatabases, useTenantList } from './console-api';
import { DeletedTenants } from './LifecycleSection';
import { usePlans } from './plans-api';

const SORT_NAMES: Record<PlatformTenantSort, string> = {
  created: 'Newest first',
  name: 'Name (A–Z)',
  members: 'Most members',
};

/** Console → Tenants: find (name, address, owner email, domain), filter, sort, page; create one; deleted ones to restore. */
export function TenantsPage() {
  const [filter, setFilter] = useState<TenantListFilter>({ q: '', status: '', plan: '', sort: 'created' });
  const tenants = useTenantList(useDeferredValue({ ...filter, q: filter.q.trim() }));
  const plans = usePlans();
  const [creating, setCreating] = useState(false);
  const ids = { status: useId(), plan: useId(), sort: useId() };
  const set =
    <K extends keyof TenantListFilter>(field: K) =>
    (value: TenantListFilter[K]) =>
      setFilter((prev) => ({ ...prev, [field]: value }));
  const rows = tenants.data?.pages.flatMap((p) => p.items) ?? [];
  const total = tenants.data?.pages[0]?.total;
  return (
    <section aria-labelledby="tenants-title">
      <h1 id="tenants-title">Tenants</h1>
      <div className="row">
        <div className="grow">
          <TextField
            label="Find a tenant"
            value={filter.q}
            onChange={set('q')}
            placeholder="Name, address, owner email or domain"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select
            id={ids.status}
            value={filter.status}
            onChange={(e) => set('status')(e.target.value as TenantListFilter['status'])}
          >
            <option value="">Any status</option>
            {TENANT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.plan}>Plan</label>
          <select id={ids.plan} value={filter.plan} onChange={(e) => set('plan')(e.target.value)}>
            <option value="">Any plan</option>
            {plans.data?.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.sort}>Sort</label>
          <select id={ids.sort} value={filter.sort} onChange={(e) => set('sort')(e.target.value as PlatformTenantSort)}>
            {PLATFORM_TENANT_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_NAMES[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {creating ? (
        <NewTenantForm onDone={() => setCreating(false)} />
      ) : (
        <button type="button" className="button" onClick={() => setCreating(true)}>
          New tenant
        </button>
      )}
      {total !== undefined && (
        <p role="status" data-testid="tenant-total">
          {total === 1 ? '1 tenant' : `${total.toLocaleString()} tenants`}
        </p>
      )}
      {tenants.isError && (
        <p role="alert" className="error">
          {(tenants.error as Error).message}
        </p>
      )}
      <table className="table" aria-label="Tenants">
        <thead>
          <tr>
            <th>Tenant</th>
            <th>Address</th>
            <th>Owner</th>
            <th>Plan</th>
            <th>Members</th>
            <th>Status</th>
            <th>Created</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id}>
              <td>
                {t.name}
                {t.database && (
                  <>
                    {' '}
                    <span className="badge" title="Its rows live in a database of its own">
                      dedicated: {t.database}
                    </span>
                  </>
                )}
              </td>
              <td>{t.slug}</td>
              <td>{t.ownerEmail ?? <span className="hint">invited</span>}</td>
              <td>{t.plan}</td>
              <td>{t.members}</td>
              <td>
                <span className={t.status === 'suspended' ? 'badge badge-danger' : 'badge'}>{t.status}</span>
              </td>
              <td>{new Date(t.createdAt).toLocaleDateString()}</td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() => navigate(`/platform/tenants/${t.id}`)}
                  aria-label={`Open ${t.name}`}
                >
                  Open
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {tenants.isSuccess && rows.length === 0 && <p>No tenant matches.</p>}
      {tenants.hasNextPage && (
        <button
          type="button"
          className="button button-ghost"
          onClick={() => tenants.fetchNextPage()}
          disabled={tenants.isFetchingNextPage}
        >
          {tenants.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
      <DeletedTenants />
    </section>
  );
}

/** A tenant the operator sets up for a customer: on trial like a signup, its owner invited by email. */
function NewTenantForm({ onDone }: { onDone: () => void }) {
  const create = useCreateTenant();
  const plans = usePlans();
  const databases = useDedicatedDatabases();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [ownerEmail, setOwnerEmail] = useState('');
  const [plan, setPlan] = useState('');
  const [database, setDatabase] = useState('');
  const planId = useId();
  const databaseId = useId();
  const error = create.error instanceof ApiError ? create.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name, slug, ownerEmail, plan: plan || undefined, database: database || undefined },
      { onSuccess: (created) => navigate(`/platform/tenants/${created.tenant.id}`) },
    );
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-label="New tenant">
      <h2>New tenant</h2>
      <TextField label="Name" value={name} onChange={setName} required error={error?.fieldErrors.name} />
      <TextField
        label="Address"
        value={slug}
        onChange={(v) => setSlug(v.toLowerCase())}
        required
        placeholder="acme"
        hint="Its subdomain: lower-case letters, digits and dashes."
        error={error?.fieldErrors.slug ?? (error?.code === 'SLUG_TAKEN' ? error.message : undefined)}
      />
      <TextField
        label="Owner email"
        type="email"
        value={ownerEmail}
        onChange={setOwnerEmail}
        required
        hint="Gets an invitation to set a password and take over."
        error={error?.fieldErrors.ownerEmail}
      />
      <div className="field">
        <label htmlFor={planId}>Plan</label>
        <select id={planId} value={plan} onChange={(e) => setPlan(e.target.value)}>
          <option value="">Free (default)</option>
          {plans.data
            ?.filter((p) => p.code !== 'free')
            .map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
        </select>
      </div>
      {databases.data && databases.data.length > 0 && (
        <div className="field">
          <label htmlFor={databaseId}>Database</label>
          <select
            id={databaseId}
            value={database}
            onChange={(e) => setDatabase(e.target.value)}
            aria-describedby={`${databaseId}-hint`}
          >
            <option value="">Shared (default)</option>
            {databases.data.map((d) => (
              <option key={d.id} value={d.name}>
                {d.name} — {d.server} ({d.tenants === 1 ? '1 tenant' : `${d.tenants} tenants`})
              </option>
            ))}
          </select>
          <p className="hint" id={`${databaseId}-hint`}>
            A dedicated database keeps this tenant's rows apart from everyone else's (enterprise isolation). To move a
            tenant later: npm run move-tenant.
          </p>
        </div>
      )}
      {error && Object.keys(error.fieldErrors).length === 0 && error.code !== 'SLUG_TAKEN' && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create and invite'}
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
