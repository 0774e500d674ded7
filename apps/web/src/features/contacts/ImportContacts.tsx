import type { ContactImport } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, ApiError } from '../../api/client';

/** Contacts → Import CSV: upload, progress while the job runs, then what was imported and each refused row. */
export function ImportContacts({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const fileId = useId();
  const start = useMutation({
    mutationFn: (csv: File) => {
      const body = new FormData();
      body.append('file', csv);
      return api<ContactImport>('/contact-imports', { method: 'POST', body });
    },
  });
  const id = start.data?.id;
  const progress = useQuery({
    queryKey: ['contact-import', id],
    queryFn: () => api<ContactImport>(`/contact-imports/${id}`),
    enabled: !!id,
    refetchInterval: (query) =>
      query.state.data?.status === 'done' || query.state.data?.status === 'failed' ? false : 500,
  });
  const current = progress.data ?? start.data;
  const finished = current?.status === 'done' || current?.status === 'failed';
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: ['contacts'] });
  }, [finished, client]);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (file) start.mutate(file);
  };
  return (
    <article className="card" aria-label="Import contacts">
      <h2>Import contacts from a CSV file</h2>
      {!current && (
        <form onSubmit={onSubmit}>
          <div className="field">
            <label htmlFor={fileId}>CSV file</label>
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <span className="hint">
              A header row with a <code>name</code> column; optional <code>email</code>, <code>company</code>,{' '}
              <code>tags</code> (separated by ;) and <code>notes</code>. Up to 5 MB.
            </span>
          </div>
          <div className="row">
            <button type="submit" className="button" disabled={!file || start.isPending}>
              {start.isPending ? 'Uploading…' : 'Import'}
            </button>
            <button type="button" className="button button-ghost" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {start.error && (
        <p role="alert" className="error">
          {start.error.message}
          {start.error instanceof ApiError && typeof start.error.details?.reason === 'string'
            ? ` (${start.error.details.reason})`
            : ''}
        </p>
      )}
      {current && (
        <>
          <progress max={Math.max(current.totalRows, 1)} value={current.processedRows} aria-label="Import progress" />
          <p role="status" data-testid="import-status">
            {current.status === 'failed'
              ? `The import stopped after ${current.processedRows} of ${current.totalRows} rows (${current.importedRows} imported); try again.`
              : finished
                ? `Imported ${current.importedRows} of ${current.totalRows} rows; ${current.failedRows} refused.`
                : `Importing… ${current.processedRows} of ${current.totalRows} rows.`}
          </p>
          {finished && current.errors.length > 0 && (
            <table className="table" aria-label="Refused rows">
              <thead>
                <tr>
                  <th>Row</th>
                  <th>Field</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {current.errors.map((e) => (
                  <tr key={e.row}>
                    <td>{e.row}</td>
                    <td>{e.field ?? '—'}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {finished && (
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          )}
        </>
      )}
    </article>
  );
}
