import type { CellResult } from '../../lab/results/results';
import { summarize } from './cell-summary';
import { ChartExport } from '../export/chart-export';
import { MsBarChart } from './ms-bar-chart';

const SERIES = [
  { key: 'P50', color: '#2458c6' },
  { key: 'P95', color: '#7a9be0' },
  { key: 'P99', color: '#c3d1f0' },
];

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
      <MsBarChart data={data} series={SERIES} />
    </figure>
  );
}
