import type { BillingOverview } from '@tenantry/contracts';
import { type FormEvent, useId, useState } from 'react';
import { useConfirm } from '../../ui/ConfirmDialog';
import { useToast } from '../../ui/Toaster';
import { day, money, useBilling, useBillingChange, useStripeRedirect } from './billing-api';

const LIVE = ['trialing', 'active', 'past_due', 'unpaid', 'paused', 'incomplete'];
const STATUS: Record<string, string> = {
  none: 'no subscription',
  trialing: 'trial',
  active: 'active',
  past_due: 'payment failed',
  unpaid: 'unpaid (read-only)',
  paused: 'paused (read-only)',
  canceled: 'canceled',
  incomplete: 'waiting for the first payment',
  incomplete_expired: 'expired',
};

/** Settings → Billing: what the workspace pays, and (owners) changing it through Stripe. */
export function BillingPage({ canManage }: { canManage: boolean }) {
  const returned = new URLSearchParams(location.search).get('checkout');
  const billing = useBilling(returned === 'done');
  if (billing.isError)
    return (
      <p role="alert" className="error">
        {billing.error.message}
      </p>
    );
  if (!billing.data) return <p className="hint">Loading…</p>;
  const b = billing.data;
  const live = LIVE.includes(b.status);
  return (
    <section aria-labelledby="billing-title">
      <h1 id="billing-title">Billing</h1>
      {returned === 'done' && !live && (
        <p role="status" className="hint">
          Thank you: Stripe is confirming the subscription, this page updates in a moment.
        </p>
      )}
      {returned === 'cancelled' && (
        <p role="status" className="hint">
          Checkout was cancelled; nothing was charged.
        </p>
      )}
      {b.pastDue && (
        <p role="alert" className="error" data-testid="past-due">
          The last payment failed on {day(b.pastDue.since)}. Update the payment method before{' '}
          {day(b.pastDue.suspendsAt)}: after that the workspace becomes read-only (nothing is deleted) until the invoice
          is paid.
        </p>
      )}
      <article className="card" aria-label="Subscription">
        <h2>{b.plan.name} plan</h2>
        <dl className="dns-record">
          <dt>Status</dt>
          <dd data-testid="billing-status">{b.mode === 'manual' ? 'billed manually' : STATUS[b.status]}</dd>
          <dt>Seats</dt>
          <dd data-testid="billing-seats">
            {b.seats.paid !== null
              ? `${b.seats.used} used of ${b.seats.paid} paid`
              : `${b.seats.used} used${b.seats.limit !== null ? ` of ${b.seats.limit}` : ''}`}
          </dd>
          {b.trialEnd && b.status === 'trialing' && (
            <>
              <dt>Trial ends</dt>
              <dd>{day(b.trialEnd)}</dd>
            </>
          )}
          {b.nextInvoice && (
            <>
              <dt>Next invoice</dt>
              <dd data-testid="next-invoice">
                {money(b.nextInvoice.amount, b.nextInvoice.currency)} on {day(b.nextInvoice.date)}
              </dd>
            </>
          )}
        </dl>
        {b.mode === 'manual' && (
          <p className="hint">This workspace is billed manually: contact us to change its plan or seats.</p>
        )}
        {b.cancelAtPeriodEnd && b.currentPeriodEnd && (
          <p role="status">
            The subscription ends on {day(b.currentPeriodEnd)}; the workspace then moves to the free plan.
          </p>
        )}
        {!canManage && b.mode === 'stripe' && <p className="hint">Only owners change billing.</p>}
        {canManage && b.mode === 'stripe' && live && <Manage billing={b} />}
      </article>
      {canManage && b.mode === 'stripe' && !live && <Subscribe billing={b} />}
      {b.invoices.length > 0 && (
        <article className="card" aria-label="Invoices">
          <h2>Invoices</h2>
          <table className="table">
            <thead>
              <tr>
                <th>Number</th>
                <th>Date</th>
                <th>Amount</th>
                <th>Status</th>
                <th>
                  <span className="sr-only">Links</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {b.invoices.map((i) => (
                <tr key={i.id}>
                  <td>{i.number ?? '—'}</td>
                  <td>{day(i.createdAt)}</td>
                  <td>{money(i.amount, i.currency)}</td>
                  <td>{i.status}</td>
                  <td>
                    {i.url && (
                      <a href={i.url} target="_blank" rel="noreferrer">
                        View
                      </a>
                    )}{' '}
                    {i.pdfUrl && (
                      <a href={i.pdfUrl} target="_blank" rel="noreferrer">
                        PDF
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      )}
    </section>
  );
}

/** No subscription yet: pick a plan and go to Stripe Checkout. */
function Subscribe({ billing }: { billing: BillingOverview }) {
  const redirect = useStripeRedirect();
  const [seats, setSeats] = useState(String(Math.max(billing.seats.used, 1)));
  const seatsId = useId();
  return (
    <article className="card" aria-label="Choose a plan">
      <h2>Choose a plan</h2>
      <div className="field">
        <label htmlFor={seatsId}>Seats</label>
        <input
          id={seatsId}
          type="number"
          min={billing.seats.used}
          value={seats}
          onChange={(e) => setSeats(e.target.value)}
        />
      </div>
      <div className="row">
        {billing.purchasable.map((p) => (
          <button
            key={p.code}
            type="button"
            className="button"
            disabled={redirect.isPending}
            onClick={() => redirect.mutate({ kind: 'checkout', plan: p.code, seats: Number(seats) })}
          >
            Subscribe to {p.name}
            {p.trialDays > 0 && billing.status === 'none' ? ` (${p.trialDays}-day trial)` : ''}
          </button>
        ))}
      </div>
      {redirect.error && (
        <p role="alert" className="error">
          {redirect.error.message}
        </p>
      )}
    </article>
  );
}

/** A subscription: seats, plan, payment method (Portal), cancellation. */
function Manage({ billing }: { billing: BillingOverview }) {
  const change = useBillingChange();
  const redirect = useStripeRedirect();
  const confirm = useConfirm();
  const toast = useToast();
  const apply = (input: Parameters<typeof change.mutate>[0], outcome: string) =>
    change.mutate(input, {
      onSuccess: () => toast.success(outcome),
      onError: () => toast.failure('The subscription was not changed'),
    });
  const onCancel = async () => {
    const confirmed = await confirm({
      title: 'Cancel the subscription?',
      description: `It ends with the current period${billing.currentPeriodEnd ? `, on ${day(billing.currentPeriodEnd)}` : ''}: the workspace keeps everything until then, then moves to the free plan and its limits. You can keep the subscription until that day.`,
      confirmLabel: 'Cancel subscription',
    });
    if (confirmed) apply({ kind: 'cancellation', cancelAtPeriodEnd: true }, 'The subscription is cancelled');
  };
  const [seats, setSeats] = useState(String(billing.seats.paid ?? billing.seats.used));
  const [plan, setPlan] = useState('');
  const seatsId = useId();
  const planId = useId();
  const onSeats = (event: FormEvent) => {
    event.preventDefault();
    apply({ kind: 'seats', seats: Number(seats) }, `Paid seats: ${seats}`);
  };
  const others = billing.purchasable.filter((p) => p.code !== billing.plan.code);
  return (
    <>
      <form className="row" onSubmit={onSeats} aria-label="Seats">
        <div className="field">
          <label htmlFor={seatsId}>Paid seats</label>
          <input
            id={seatsId}
            type="number"
            min={billing.seats.used}
            value={seats}
            onChange={(e) => setSeats(e.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={change.isPending}>
          Update seats
        </button>
      </form>
      <p className="hint">Changes are prorated on the next invoice; the seat limit follows once Stripe confirms.</p>
      {others.length > 0 && (
        <div className="row">
          <div className="field">
            <label htmlFor={planId}>Switch plan</label>
            <select id={planId} value={plan} onChange={(e) => setPlan(e.target.value)}>
              <option value="">Choose a plan</option>
              {others.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className="button"
            disabled={!plan || change.isPending}
            onClick={() => apply({ kind: 'plan', plan }, 'The plan is switched')}
          >
            Switch
          </button>
        </div>
      )}
      <div className="row">
        <button
          type="button"
          className="button button-ghost"
          disabled={redirect.isPending}
          onClick={() => redirect.mutate({ kind: 'portal' })}
        >
          Manage payment method
        </button>
        {billing.cancelAtPeriodEnd ? (
          <button
            type="button"
            className="button button-ghost"
            onClick={() => apply({ kind: 'cancellation', cancelAtPeriodEnd: false }, 'The subscription continues')}
          >
            Keep the subscription
          </button>
        ) : (
          <button type="button" className="button button-ghost" onClick={() => void onCancel()}>
            Cancel subscription
          </button>
        )}
      </div>
      {(change.error ?? redirect.error) && (
        <p role="alert" className="error">
          {(change.error ?? redirect.error)!.message}
        </p>
      )}
    </>
  );
}
