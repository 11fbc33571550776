import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CellResult } from '../../lab/results/results';
import { cellDisplayName } from './cell-summary';
import { chartColor } from '../chart-colors';

/** Rows per second against batch size, one line per completed cell. */
export function ThroughputChart({ cells }: { cells: readonly CellResult[] }) {
  const completed = cells.filter((c) => c.state === 'completed');
  const batchSizes = [...new Set(completed.flatMap((c) => c.batches.map((b) => b.batchSize)))].sort((a, b) => a - b);
  if (batchSizes.length < 2) return null;
  const data = batchSizes.map((batchSize) => {
    const point: Record<string, number> = { batchSize };
    for (const c of completed) {
      const b = c.batches.find((x) => x.batchSize === batchSize);
      if (b) point[cellDisplayName(c)] = Math.round(b.throughputPerSec);
    }
    return point;
  });
  return (
    <figure className="chart" data-testid="throughput-chart">
      <figcaption>Throughput against batch size (rows per second, log scale; higher is better)</figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="batchSize" label={{ value: 'batch size', position: 'insideBottomRight', offset: -4 }} />
          <YAxis scale="log" domain={[(min: number) => min / 2, (max: number) => max * 2]} />
          <Tooltip />
          <Legend />
          {completed.map((c, i) => (
            <Line key={c.cellId} dataKey={cellDisplayName(c)} stroke={chartColor(i)} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
