import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** Daily counts of one metric this month (recharts). */
export function UsageChart({ days, label }: { days: { day: string; count: number }[]; label: string }) {
  if (days.length === 0)
    return (
      <p className="hint">No {label.toLowerCase()} counted this month yet (counts reach the chart within a minute).</p>
    );
  return (
    <figure className="usage-chart" aria-label={`${label} per day`}>
      <ResponsiveContainer width="100%" height={160}>
        <BarChart data={days.map((d) => ({ day: d.day.slice(8), count: d.count }))}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          <Bar dataKey="count" name={label} fill="var(--primary, #4f46e5)" maxBarSize={32} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
