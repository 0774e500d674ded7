import type { MoneyByCurrency, PlatformStats } from '@tenantry/contracts';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { money } from '../billing/billing-api';
import { BillingSummary } from './BillingSummary';
import { usePlatformStats } from './console-api';
import { ExpiringLicenses } from './LicensesSection';
import { NearLimits } from './PlansSection';

const mrrText = (mrr: MoneyByCurrency[]) =>
  mrr.length ? mrr.map((m) => money(m.amount, m.currency)).join(' + ') : money(0, 'eur');
const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** The console's home: the platform in numbers and charts, then what needs the operator (billing, licenses, limits). */
export function ConsoleOverview() {
  const stats = usePlatformStats();
  const s = stats.data;
  return (
    <section aria-labelledby="console-title">
      <h1 id="console-title">Platform console</h1>
      {stats.isError && (
        <p role="alert" className="error">
          {(stats.error as Error).message}
        </p>
      )}
      {s && (
        <>
          <dl className="stat-cards" aria-label="Platform in numbers">
            <Stat label="Tenants" value={s.tenants.total.toLocaleString()} testId="stat-tenants" />
            <Stat label="People" value={s.users.total.toLocaleString()} testId="stat-users" />
            <Stat label="Active (7 days)" value={s.users.active7d.toLocaleString()} testId="stat-active-7d" />
            <Stat label="Active (30 days)" value={s.users.active30d.toLocaleString()} testId="stat-active-30d" />
            <Stat label="MRR" value={mrrText(s.revenue.mrr)} testId="stat-mrr" />
            <Stat label="Paying tenants" value={s.revenue.payingTenants.toLocaleString()} testId="stat-paying" />
            <Stat
              label="Churn (30 days)"
              value={`${s.revenue.churn30d.tenants} (${percent(s.revenue.churn30d.rate)})`}
              testId="stat-churn"
            />
            <Stat label="Near a limit" value={s.nearLimits.toLocaleString()} testId="stat-near-limits" />
          </dl>
          <p className="hint">As of {new Date(s.computedAt).toLocaleTimeString()} (refreshed at most every minute).</p>
          <div className="chart-grid">
            <Chart title="Tenants by status">
              <BarChart data={Object.entries(s.tenants.byStatus).map(([status, tenants]) => ({ status, tenants }))}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="status" />
                <YAxis allowDecimals={false} width={40} />
                <Tooltip />
                <Bar dataKey="tenants" name="Tenants" fill="var(--brand-primary, #4f46e5)" maxBarSize={48} />
              </BarChart>
            </Chart>
            <Chart title="Tenants by plan">
              <BarChart data={s.tenants.byPlan}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="name" />
                <YAxis allowDecimals={false} width={40} />
                <Tooltip />
                <Bar dataKey="tenants" name="Tenants" fill="var(--brand-primary, #4f46e5)" maxBarSize={48} />
              </BarChart>
            </Chart>
            <Chart title="Growth (12 months)">
              <BarChart data={s.growth}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="month" />
                <YAxis allowDecimals={false} width={40} />
                <Tooltip />
                <Legend />
                <Bar dataKey="created" name="Created" fill="#16a34a" maxBarSize={32} />
                <Bar dataKey="deleted" name="Deleted" fill="#dc2626" maxBarSize={32} />
              </BarChart>
            </Chart>
            <Chart title="Tenants and MRR over time">
              <LineChart data={historyRows(s)}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" />
                <YAxis yAxisId="tenants" allowDecimals={false} width={40} />
                <YAxis yAxisId="mrr" orientation="right" width={60} />
                <Tooltip />
                <Legend />
                <Line
                  yAxisId="tenants"
                  dataKey="tenants"
                  name="Tenants"
                  stroke="var(--brand-primary, #4f46e5)"
                  dot={false}
                />
                <Line
                  yAxisId="mrr"
                  dataKey="mrr"
                  name={`MRR (${(s.revenue.mrr[0]?.currency ?? 'eur').toUpperCase()})`}
                  stroke="#16a34a"
                  dot={false}
                />
              </LineChart>
            </Chart>
            <Chart title="Feature adoption">
              <BarChart
                data={s.featureAdoption.map((f) => ({ feature: f.feature, percent: Math.round(f.share * 100) }))}
                layout="vertical"
              >
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" domain={[0, 100]} unit="%" />
                <YAxis type="category" dataKey="feature" width={150} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Bar dataKey="percent" name="Tenants with it" fill="var(--brand-primary, #4f46e5)" maxBarSize={20} />
              </BarChart>
            </Chart>
          </div>
        </>
      )}
      <BillingSummary />
      <ExpiringLicenses />
      <NearLimits />
    </section>
  );
}

/** One point per snapshot day; MRR in the main currency's whole units. */
function historyRows(s: PlatformStats) {
  const currency = s.revenue.mrr[0]?.currency;
  return s.history.map((h) => ({
    day: h.day.slice(5),
    tenants: h.tenants,
    mrr: (h.mrr.find((m) => m.currency === currency)?.amount ?? 0) / 100,
  }));
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat-card">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        {children}
      </ResponsiveContainer>
    </figure>
  );
}
