import type { AuthTokenResponse, DataExport, DeletedTenant } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { Notice } from '../../ui/Notice';
import { useConfirm } from '../../ui/ConfirmDialog';
import { useToast } from '../../ui/Toaster';
import { signOut } from '../auth/auth-api';

const EXPORTS = ['exports'] as const;
const working = (e: DataExport) => e.status === 'queued' || e.status === 'running';
const megabytes = (bytes: number | null) =>
  bytes === null ? '' : `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 2 : 0)} MB`;

/** Settings → Data (owners): take every piece of the workspace's data along; delete the workspace. */
export function DataPage({ session }: { session: AuthTokenResponse }) {
  const [deleted, setDeleted] = useState<DeletedTenant | null>(null);
  if (deleted) {
    return (
      <Notice title={`${deleted.name} is deleted`}>
        Nobody can sign in to it any more. Its data is kept until {new Date(deleted.purgeAfter).toLocaleDateString()} —
        until then the platform operator can restore it — and then erased for good.{' '}
        <button type="button" className="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </Notice>
    );
  }
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Data</h1>
      <Exports />
      <DeleteWorkspace tenant={session.tenant!} onDeleted={setDeleted} />
    </section>
  );
}

function Exports() {
  const client = useQueryClient();
  // While an export is being made, its progress is polled every 2 s.
  const exports = useQuery({
    queryKey: EXPORTS,
    queryFn: () => api<DataExport[]>('/exports'),
    refetchInterval: (q) => (q.state.data?.some(working) ? 2000 : false),
  });
  const toast = useToast();
  const request = useMutation({
    mutationFn: () => api<DataExport>('/exports', { method: 'POST' }),
    onSuccess: () => toast.success('The export has started', 'Its download link appears here when it is ready.'),
    onError: () => toast.failure('The export did not start'),
    onSettled: () => client.invalidateQueries({ queryKey: EXPORTS }),
  });
  const busy = exports.data?.some(working) ?? false;
  return (
    <section aria-labelledby="exports-title">
      <h2 id="exports-title">Export all data</h2>
      <p className="hint">
        A zip with every record of this workspace (one NDJSON file per table), the people in it and its uploaded files.
        The download link works for 24 hours; every download is recorded in the audit log.
      </p>
      <button type="button" className="button" onClick={() => request.mutate()} disabled={busy || request.isPending}>
        {busy ? 'Export in progress…' : 'Export all data'}
      </button>
      {request.error && (
        <p role="alert" className="error">
          {request.error instanceof ApiError ? request.error.message : 'The export could not be started.'}
        </p>
      )}
      {!!exports.data?.length && (
        <table className="table" aria-label="Exports">
          <thead>
            <tr>
              <th>Requested</th>
              <th>By</th>
              <th>Status</th>
              <th>Size</th>
              <th className="actions">
                <span className="sr-only">Download</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {exports.data.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.createdAt).toLocaleString()}</td>
                <td>{e.requestedBy ?? '—'}</td>
                <td>
                  {working(e) ? (
                    <>
                      <progress value={e.processedRows} max={Math.max(e.totalRows, 1)} aria-label="Export progress" />{' '}
                      {e.totalRows
                        ? `${e.processedRows.toLocaleString()} of ${e.totalRows.toLocaleString()} records`
                        : 'starting…'}
                    </>
                  ) : e.status === 'failed' ? (
                    <span className="error">{e.error}</span>
                  ) : e.status === 'expired' ? (
                    'expired'
                  ) : (
                    `ready until ${new Date(e.expiresAt!).toLocaleString()}`
                  )}
                </td>
                <td>{megabytes(e.sizeBytes)}</td>
                <td className="actions">
                  {e.downloadUrl && (
                    <a className="button button-ghost" href={e.downloadUrl} download>
                      Download
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DeleteWorkspace({
  tenant,
  onDeleted,
}: {
  tenant: { name: string; slug: string };
  onDeleted: (d: DeletedTenant) => void;
}) {
  const confirm = useConfirm();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: () => api<DeletedTenant>('/tenant/deletion', { method: 'POST', body: { confirm: tenant.slug } }),
    onSuccess: onDeleted,
    onError: () => toast.failure(`${tenant.name} was not deleted`),
  });
  const onDelete = async () => {
    const confirmed = await confirm({
      title: `Delete ${tenant.name}?`,
      description: (
        <p>
          Everyone loses access at once: members, invitations, API keys, webhooks and single sign-on stop. Every
          contact, file and setting is erased for good after the grace period; until then only the platform operator can
          restore the workspace.
        </p>
      ),
      confirmLabel: 'Delete workspace',
      typeToConfirm: tenant.slug,
    });
    if (confirmed) remove.mutate();
  };
  return (
    <section className="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete this workspace</h2>
      <p>
        Everyone loses access at once. The data is kept for a grace period (the platform operator can restore the
        workspace until then), then erased with every file. Export it first if you want to keep it.
      </p>
      {remove.error && (
        <p role="alert" className="error">
          {remove.error instanceof ApiError ? remove.error.message : 'The workspace could not be deleted.'}
        </p>
      )}
      <button
        type="button"
        className="button button-danger"
        onClick={() => void onDelete()}
        disabled={remove.isPending}
      >
        {remove.isPending ? 'Deleting…' : 'Delete workspace…'}
      </button>
    </section>
  );
}
