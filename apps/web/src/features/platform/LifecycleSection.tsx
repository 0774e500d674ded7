import type { DeletedTenant, PlatformTenant } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';

const DELETED_KEY = ['platform', 'tenants', 'deleted'] as const;

function useLifecycle() {
  const client = useQueryClient();
  // Tenants, deleted tenants and the picked tenant's views all start with this key.
  const refresh = () => client.invalidateQueries({ queryKey: ['platform', 'tenants'] });
  return useMutation({
    mutationFn: ({
      id,
      action,
      reason,
    }: {
      id: string;
      action: 'suspend' | 'reactivate' | 'delete' | 'restore';
      reason?: string;
    }): Promise<unknown> =>
      action === 'delete'
        ? api<DeletedTenant>(`/platform/tenants/${id}`, { method: 'DELETE' })
        : api<PlatformTenant>(`/platform/tenants/${id}/${action}`, {
            method: 'POST',
            body: reason === undefined ? undefined : { reason },
          }),
    onSettled: refresh,
  });
}

/** Suspend (with the reason its people will read), reactivate, or delete the picked tenant. */
export function TenantLifecycle({ tenant, onDeleted }: { tenant: PlatformTenant; onDeleted: () => void }) {
  const lifecycle = useLifecycle();
  const [reason, setReason] = useState('');
  const error = lifecycle.error instanceof ApiError ? lifecycle.error : null;
  const onDelete = () => {
    if (prompt(`Type ${tenant.slug} to delete ${tenant.name}. It can be restored until its purge.`) === tenant.slug)
      lifecycle.mutate({ id: tenant.id, action: 'delete' }, { onSuccess: onDeleted });
  };
  return (
    <section aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">Suspend or delete</h2>
      {tenant.status === 'suspended' ? (
        <p>
          Suspended: {tenant.suspendedReason}{' '}
          <button
            type="button"
            className="button"
            onClick={() => lifecycle.mutate({ id: tenant.id, action: 'reactivate' })}
            disabled={lifecycle.isPending}
          >
            Reactivate
          </button>
        </p>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            lifecycle.mutate({ id: tenant.id, action: 'suspend', reason });
          }}
        >
          <div className="grow">
            <TextField
              label="Suspension notice (its people see it)"
              value={reason}
              onChange={setReason}
              required
              error={error?.fieldErrors.reason}
            />
          </div>
          <button type="submit" className="button" disabled={lifecycle.isPending}>
            Suspend
          </button>
        </form>
      )}
      <button type="button" className="button button-ghost" onClick={onDelete} disabled={lifecycle.isPending}>
        Delete tenant…
      </button>
      {error && !error.fieldErrors.reason && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </section>
  );
}

/** Deleted tenants that can still be restored, with the day each is purged for good. */
export function DeletedTenants() {
  const deleted = useQuery({ queryKey: DELETED_KEY, queryFn: () => api<DeletedTenant[]>('/platform/tenants/deleted') });
  const lifecycle = useLifecycle();
  if (!deleted.data?.length) return null;
  return (
    <section aria-labelledby="deleted-title">
      <h2 id="deleted-title">Deleted tenants</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Tenant</th>
            <th>Deleted</th>
            <th>Purged on</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deleted.data.map((d) => (
            <tr key={d.id}>
              <td>
                {d.name} <span className="hint">{d.slug}</span>
              </td>
              <td>{new Date(d.deletedAt).toLocaleDateString()}</td>
              <td>{new Date(d.purgeAfter).toLocaleDateString()}</td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() => lifecycle.mutate({ id: d.id, action: 'restore' })}
                  aria-label={`Restore ${d.name}`}
                >
                  Restore
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
