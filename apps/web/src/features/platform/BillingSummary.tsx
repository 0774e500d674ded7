import type { PlatformBilling } from '@tenantry/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { day, money } from '../billing/billing-api';

/** The console's billing view: MRR, subscriptions by status, failed payments (Stripe mode). */
export function BillingSummary() {
  const summary = useQuery({
    queryKey: ['platform', 'billing'],
    queryFn: () => api<PlatformBilling>('/platform/billing'),
  });
  if (!summary.data || summary.data.mode === 'manual') return null;
  const { mrr, byStatus, failedPayments } = summary.data;
  return (
    <section aria-labelledby="platform-billing-title">
      <h2 id="platform-billing-title">Billing</h2>
      <dl className="dns-record">
        <dt>MRR</dt>
        <dd data-testid="mrr">
          {mrr.length ? mrr.map((m) => money(m.amount, m.currency)).join(' + ') : money(0, 'eur')}
        </dd>
        <dt>Subscriptions</dt>
        <dd data-testid="subscriptions-by-status">
          {Object.entries(byStatus)
            .filter(([status]) => status !== 'none')
            .map(([status, n]) => `${n} ${status.replace('_', ' ')}`)
            .join(', ') || 'none yet'}
        </dd>
      </dl>
      {failedPayments.length > 0 && (
        <table className="table" aria-label="Failed payments">
          <thead>
            <tr>
              <th>Tenant</th>
              <th>Plan</th>
              <th>Amount</th>
              <th>Failed since</th>
              <th>Read-only from</th>
            </tr>
          </thead>
          <tbody>
            {failedPayments.map((f) => (
              <tr key={f.tenant.id}>
                <td>
                  {f.tenant.name} ({f.tenant.slug})
                </td>
                <td>{f.plan}</td>
                <td>{f.currency ? money(f.amount, f.currency) : '—'}</td>
                <td>{day(f.since)}</td>
                <td>{day(f.suspendsAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
