import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** Grouped bars of milliseconds on a log scale (engines and devices differ by 100×): one bar per series for each named group. */
export function MsBarChart({ data, series, height = 300 }: { data: readonly Record<string, string | number | undefined>[]; series: readonly { key: string; color: string }[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={[...data]} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="name" />
        <YAxis scale="log" domain={[(min: number) => min / 2, (max: number) => max * 2]} allowDataOverflow tickFormatter={(v: number) => v.toPrecision(2)} />
        <Tooltip formatter={(v) => `${Number(v).toPrecision(3)} ms`} />
        <Legend />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} fill={s.color} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
