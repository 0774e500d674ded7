import { useDeferredValue, useId, useState } from 'react';
import { TextField } from '../../ui/TextField';
import { type PlatformAuditFilter, usePlatformAudit } from './console-api';

// Families of the platform's log (an entry's action starts with one).
const FAMILIES = [
  'tenant',
  'license',
  'plan',
  'feature',
  'impersonation',
  'maintenance',
  'invitation',
  'billing',
] as const;

/** Console → Audit log: what super admins (and platform jobs) did, to which tenant or catalog; read-only. */
export function PlatformAuditPage() {
  const [filter, setFilter] = useState<PlatformAuditFilter>({ action: '', actor: '', from: '', to: '' });
  const events = usePlatformAudit(useDeferredValue({ ...filter, actor: filter.actor.trim() }));
  const actionId = useId();
  const set = (field: keyof PlatformAuditFilter) => (value: string) =>
    setFilter((prev) => ({ ...prev, [field]: value }));
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="platform-audit-title">
      <h1 id="platform-audit-title">Platform audit log</h1>
      <div className="row">
        <div className="field">
          <label htmlFor={actionId}>Kind</label>
          <select id={actionId} value={filter.action} onChange={(e) => set('action')(e.target.value)}>
            <option value="">Everything</option>
            {FAMILIES.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="grow">
          <TextField
            label="Operator email"
            value={filter.actor}
            onChange={set('actor')}
            placeholder="root@tenantry.test"
          />
        </div>
        <TextField label="From" type="date" value={filter.from} onChange={set('from')} />
        <TextField label="To" type="date" value={filter.to} onChange={set('to')} />
      </div>
      {events.isError && (
        <p role="alert" className="error">
          {(events.error as Error).message}
        </p>
      )}
      <table className="table" aria-label="Platform audit log">
        <thead>
          <tr>
            <th>Time</th>
            <th>Action</th>
            <th>By</th>
            <th>About</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.createdAt).toLocaleString()}</td>
              <td>
                <code>{e.action}</code>
                {Object.keys(e.metadata).length > 0 && <div className="hint">{JSON.stringify(e.metadata)}</div>}
              </td>
              <td>{e.actor.label ?? (e.actor.userId ? e.actor.userId : 'platform job')}</td>
              <td>{e.subject.type ? `${e.subject.type} ${e.subject.label ?? ''}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.isSuccess && rows.length === 0 && <p>No entries match these filters.</p>}
      {events.hasNextPage && (
        <button
          type="button"
          className="button button-ghost"
          onClick={() => events.fetchNextPage()}
          disabled={events.isFetchingNextPage}
        >
          {events.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
