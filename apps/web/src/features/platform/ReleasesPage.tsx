import type { ApiInstance, Releases } from '@tenantry/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Console → Releases: API instances running now (a blue-green deploy shows both colors), versions seen, recent instances. */
export function ReleasesPage() {
  // Instances beat every 30 s: refreshing as often shows a deploy as it happens.
  const releases = useQuery({
    queryKey: ['platform', 'releases'],
    queryFn: () => api<Releases>('/platform/releases'),
    refetchInterval: 30_000,
  });
  const r = releases.data;
  return (
    <section aria-labelledby="releases-title">
      <h1 id="releases-title">Releases</h1>
      {releases.isError && (
        <p role="alert" className="error">
          {(releases.error as Error).message}
        </p>
      )}
      {r && (
        <>
          <h2>Running now</h2>
          <Instances label="Running instances" rows={r.running} />
          <h2>Versions</h2>
          <table className="table" aria-label="Versions">
            <thead>
              <tr>
                <th>Version</th>
                <th>First started</th>
                <th>Last seen</th>
                <th>Instances</th>
                <th>Running</th>
              </tr>
            </thead>
            <tbody>
              {r.versions.map((v) => (
                <tr key={v.version}>
                  <td>
                    <code>{v.version}</code>
                  </td>
                  <td>{when(v.firstStartedAt)}</td>
                  <td>{when(v.lastSeenAt)}</td>
                  <td>{v.instances}</td>
                  <td>{v.running}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Recent instances</h2>
          <Instances label="Recent instances" rows={r.recent} />
        </>
      )}
    </section>
  );
}

function Instances({ label, rows }: { label: string; rows: ApiInstance[] }) {
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th>Version</th>
          <th>Host</th>
          <th>Started</th>
          <th>Last heartbeat</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((i) => (
          <tr key={i.id}>
            <td>
              <code>{i.version}</code>
            </td>
            <td>
              {i.hostname} <span className="hint">pid {i.pid}</span>
            </td>
            <td>{when(i.startedAt)}</td>
            <td>{when(i.lastSeenAt)}</td>
            <td>
              {i.running ? (
                <span className="badge">running</span>
              ) : i.stoppedAt ? (
                `stopped ${when(i.stoppedAt)}`
              ) : (
                'gone (no heartbeat)'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
