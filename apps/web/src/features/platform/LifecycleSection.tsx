import type { DeletedTenant, PlatformTenant } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';

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

const DONE = { suspend: 'suspended', reactivate: 'reactivated', delete: 'deleted' } as const;

/** Suspend (with the reason its people will read), reactivate, or delete the picked tenant. */
export function TenantLifecycle({ tenant, onDeleted }: { tenant: PlatformTenant; onDeleted: () => void }) {
  const lifecycle = useLifecycle();
  const [reason, setReason] = useState('');
  const error = lifecycle.error instanceof ApiError ? lifecycle.error : null;
  const confirm = useConfirm();
  const toast = useToast();
  const run = (action: keyof typeof DONE, then?: () => void) =>
    lifecycle.mutate(
      { id: tenant.id, action, reason: action === 'suspend' ? reason : undefined },
      {
        onSuccess: () => {
          toast.success(`${tenant.name} is ${DONE[action]}`);
          then?.();
        },
        onError: () => toast.failure(`${tenant.name} was not ${DONE[action]}`),
      },
    );
  const onDelete = async () => {
    const confirmed = await confirm({
      title: `Delete ${tenant.name}?`,
      description:
        'Nobody can sign in to it any more. Its data is kept until its purge, when it is erased for good with every file; until then it can be restored from Deleted tenants.',
      confirmLabel: 'Delete tenant',
      typeToConfirm: tenant.slug,
    });
    if (confirmed) run('delete', onDeleted);
  };
  return (
    <section aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">Suspend or delete</h2>
      {tenant.status === 'suspended' ? (
        <p>
          Suspended: {tenant.suspendedReason}{' '}
          <button type="button" className="button" onClick={() => run('reactivate')} disabled={lifecycle.isPending}>
            Reactivate
          </button>
        </p>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            run('suspend');
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
          <button type="submit" className="button button-danger-outline" disabled={lifecycle.isPending}>
            Suspend
          </button>
        </form>
      )}
      <button
        type="button"
        className="button button-danger-outline"
        onClick={() => void onDelete()}
        disabled={lifecycle.isPending}
      >
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
  const toast = useToast();
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
                  onClick={() =>
                    lifecycle.mutate(
                      { id: d.id, action: 'restore' },
                      {
                        onSuccess: () => toast.success(`${d.name} is restored`),
                        onError: (error) => toast.failure(`${d.name} was not restored`, error),
                      },
                    )
                  }
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
