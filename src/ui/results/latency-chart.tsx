import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CellResult } from '../../lab/results/results';
import { summarize } from './cell-summary';
import { ChartExport } from '../export/chart-export';

/** P50/P95/P99 per completed cell at one batch size, in ms (log scale: engines differ by 100×). */
export function LatencyChart({ cells, batchSize }: { cells: readonly CellResult[]; batchSize: number }) {
  const data = summarize(cells)
    .filter((r) => r.state === 'completed' && r.batchSize === batchSize)
    .map((r) => ({ name: r.label, P50: r.p50, P95: r.p95, P99: r.p99 }));
  if (data.length === 0) return null;
  return (
    <figure className="chart" data-testid={`latency-chart-${batchSize}`}>
      <figcaption>
        Warm latency per batch of {batchSize} (ms, log scale; lower is better)
        <ChartExport name={`latency-b${batchSize}`} />
      </figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" />
          <YAxis scale="log" domain={[(min: number) => min / 2, (max: number) => max * 2]} allowDataOverflow tickFormatter={(v: number) => v.toPrecision(2)} />
          <Tooltip formatter={(v) => `${Number(v).toPrecision(3)} ms`} />
          <Legend />
          <Bar dataKey="P50" fill="#2458c6" isAnimationActive={false} />
          <Bar dataKey="P95" fill="#7a9be0" isAnimationActive={false} />
          <Bar dataKey="P99" fill="#c3d1f0" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
