import type { License, PlatformTenant } from '@tenantry/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useExpiringLicenses, useLicenseAction, useLicenses } from './licenses-api';
import { usePlans } from './plans-api';

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : 'no end');
/** The end of the chosen day (a date input gives a day, a license ends at a moment). */
const endOfDay = (date: string) => (date ? new Date(`${date}T23:59:59Z`).toISOString() : null);

/** Licenses ending within 30 days, for the operator's morning look. */
export function ExpiringLicenses() {
  const expiring = useExpiringLicenses(30);
  if (!expiring.data?.length) return null;
  return (
    <section aria-labelledby="expiring-title">
      <h2 id="expiring-title">Licenses ending within 30 days</h2>
      <ul>
        {expiring.data.map((e) => (
          <li key={e.tenant.id}>
            {e.tenant.name} ({e.tenant.slug}): {day(e.validUntil)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A tenant's licenses in the console: issue, renew, suspend, revoke, copy the key. */
export function LicensesSection({ tenant }: { tenant: PlatformTenant }) {
  const licenses = useLicenses(tenant.id);
  const action = useLicenseAction(tenant.id);
  const error = action.error instanceof ApiError ? action.error : null;
  const confirm = useConfirm();
  const toast = useToast();
  const run = (input: Parameters<typeof action.mutate>[0], outcome: string) =>
    action.mutate(input, {
      onSuccess: () => toast.success(outcome),
      onError: () => toast.failure(`The license of ${tenant.name} was not changed`),
    });
  const [renewing, setRenewing] = useState<License | null>(null);
  const revoke = async (license: License) => {
    const confirmed = await confirm({
      title: `Revoke the ${license.plan} license of ${tenant.name}?`,
      description:
        'Its key stops working for good and cannot be renewed. The tenant keeps its plan, without a license.',
      confirmLabel: 'Revoke license',
    });
    if (confirmed) run({ kind: 'revoke', id: license.id }, 'License revoked');
  };
  return (
    <section aria-labelledby="licenses-title">
      <h2 id="licenses-title">Licenses of {tenant.name}</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Plan</th>
            <th>Seats</th>
            <th>Status</th>
            <th>Valid until</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {licenses.data?.map((l) => (
            <tr key={l.id} aria-label={`License ${l.plan} ${l.status}`}>
              <td>{l.plan}</td>
              <td>{l.seats ?? 'plan'}</td>
              <td>
                <span className="badge">{l.status}</span>
              </td>
              <td>{day(l.validUntil)}</td>
              <td className="actions">
                {l.status !== 'revoked' && (
                  <>
                    <button
                      type="button"
                      className="button button-ghost"
                      onClick={() => void navigator.clipboard.writeText(l.key)}
                    >
                      Copy key
                    </button>
                    <button type="button" className="button button-ghost" onClick={() => setRenewing(l)}>
                      Renew
                    </button>
                    {l.status === 'active' && (
                      <button
                        type="button"
                        className="button button-ghost"
                        onClick={() => run({ kind: 'suspend', id: l.id }, 'License suspended')}
                      >
                        Suspend
                      </button>
                    )}
                    <button type="button" className="button button-ghost" onClick={() => void revoke(l)}>
                      Revoke
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {licenses.data?.length === 0 && <p className="hint">No license: the tenant runs on its plan&apos;s limits.</p>}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {renewing && (
        <RenewForm
          key={renewing.id}
          license={renewing}
          pending={action.isPending}
          onRenew={(validUntil) =>
            run({ kind: 'renew', id: renewing.id, validUntil }, `The ${renewing.plan} license is renewed`)
          }
          onDone={() => setRenewing(null)}
        />
      )}
      <IssueForm
        onIssue={(input) => run({ kind: 'issue', input }, `License issued to ${tenant.name}`)}
        pending={action.isPending}
      />
    </section>
  );
}

/** A license's new end date, in place of a prompt: a day, or none for no end. */
function RenewForm({
  license,
  pending,
  onRenew,
  onDone,
}: {
  license: License;
  pending: boolean;
  onRenew: (validUntil: string | null) => void;
  onDone: () => void;
}) {
  const [until, setUntil] = useState(license.validUntil?.slice(0, 10) ?? '');
  const untilId = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onRenew(endOfDay(until));
    onDone();
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-label={`Renew the ${license.plan} license`}>
      <h3>Renew the {license.plan} license</h3>
      <div className="field">
        <label htmlFor={untilId}>New end date (empty: no end)</label>
        <input id={untilId} type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
      </div>
      <div className="row">
        <button type="submit" className="button" disabled={pending}>
          Renew
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function IssueForm({
  onIssue,
  pending,
}: {
  onIssue: (input: { plan: string; seats?: number; validUntil: string | null }) => void;
  pending: boolean;
}) {
  const plans = usePlans();
  const [plan, setPlan] = useState('pro');
  const [seats, setSeats] = useState('');
  const [until, setUntil] = useState('');
  const planId = useId();
  const untilId = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onIssue({ plan, seats: seats ? Number(seats) : undefined, validUntil: endOfDay(until) });
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-label="Issue a license">
      <h3>Issue a license</h3>
      <p className="hint">It replaces the current license and moves the tenant to its plan.</p>
      <div className="field">
        <label htmlFor={planId}>Plan</label>
        <select id={planId} value={plan} onChange={(e) => setPlan(e.target.value)}>
          {plans.data?.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name} ({p.seats ?? 'unlimited'} seats)
            </option>
          ))}
        </select>
      </div>
      <TextField label="Seats (empty: the plan's)" type="number" value={seats} onChange={setSeats} />
      <div className="field">
        <label htmlFor={untilId}>Valid until (empty: no end)</label>
        <input id={untilId} type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
      </div>
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Issuing…' : 'Issue license'}
      </button>
    </form>
  );
}
