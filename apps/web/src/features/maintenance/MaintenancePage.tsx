import type { MaintenanceStatus } from '@tenantry/contracts';

/** Shown to everyone but operators while the platform is in maintenance; the app comes back by itself when it ends. */
export function MaintenancePage({
  status,
  onOperatorLogin,
}: {
  status: MaintenanceStatus;
  onOperatorLogin?: () => void;
}) {
  return (
    <div className="centered">
      <section className="card" role="alert" aria-labelledby="maintenance-title">
        <h1 id="maintenance-title">Down for maintenance</h1>
        {status.message && <p data-testid="maintenance-message">{status.message}</p>}
        <p>
          {status.endsAt
            ? `We expect to be back by ${new Date(status.endsAt).toLocaleString()}.`
            : 'We will be back shortly.'}
        </p>
        <p className="hint">
          This page checks every few seconds and reopens the app when it is over. Nothing you saved is lost.
        </p>
        {onOperatorLogin && (
          <button type="button" className="button button-ghost" onClick={onOperatorLogin}>
            Platform operator sign-in
          </button>
        )}
      </section>
    </div>
  );
}
