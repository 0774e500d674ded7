import { AUDIT_ACTIONS, type AuditAction } from '@tenantry/contracts';
import { useDeferredValue, useId, useState } from 'react';
import { TextField } from '../../ui/TextField';
import { type AuditFilter, useAuditEvents } from './audit-api';

/** Settings → Audit log: who did what, when and from where (read-only). */
export function AuditLogPage() {
  return <AuditLog path="/audit-events" title="Audit log" />;
}

/** A tenant's audit log with its filters: its own (Settings), or any tenant's from the console (`path`). */
export function AuditLog({
  path,
  title,
  heading: Heading = 'h1',
}: {
  path: string;
  title: string;
  heading?: 'h1' | 'h2';
}) {
  const [filter, setFilter] = useState<AuditFilter>({ actor: '', action: '', from: '', to: '' });
  const events = useAuditEvents(path, useDeferredValue({ ...filter, actor: filter.actor.trim() }));
  const actionId = useId();
  const set = (field: keyof AuditFilter) => (value: string) => setFilter((prev) => ({ ...prev, [field]: value }));
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <Heading id="audit-title">{title}</Heading>
      <div className="row">
        <div className="grow">
          <TextField label="Actor email" value={filter.actor} onChange={set('actor')} placeholder="ada@acme.test" />
        </div>
        <div className="field">
          <label htmlFor={actionId}>Action</label>
          <select
            id={actionId}
            value={filter.action}
            onChange={(e) => set('action')(e.target.value as AuditAction | '')}
          >
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <TextField label="From" type="date" value={filter.from} onChange={set('from')} />
        <TextField label="To" type="date" value={filter.to} onChange={set('to')} />
      </div>
      {events.isError && (
        <p role="alert" className="error">
          {(events.error as Error).message}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Action</th>
            <th>Actor</th>
            <th>Target</th>
            <th>From</th>
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
              <td>
                {e.actor.label ?? e.actor.userId ?? '—'}
                {e.onBehalfOf && (
                  <div className="hint">on behalf of {e.onBehalfOf.label ?? e.onBehalfOf.userId} (support access)</div>
                )}
              </td>
              <td>{e.target ? `${e.target.type} ${e.target.label ?? e.target.id ?? ''}` : '—'}</td>
              <td title={e.userAgent ?? undefined}>{e.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.isSuccess && rows.length === 0 && <p>No events match these filters.</p>}
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
