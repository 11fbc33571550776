import type { RunComparison } from '../../lab/results/compare-runs';
import { chartColor } from '../chart-colors';
import { ChartExport } from '../export/chart-export';
import { MsBarChart } from '../results/ms-bar-chart';

/** Median latency of each configuration on each run (log scale): the device/browser dimension of the results chart. */
export function CompareChart({ comparison }: { comparison: RunComparison }) {
  const data = comparison.rows
    .filter((row) => row.byRun.some((x) => x?.p50 !== undefined))
    .map((row) => {
      const point: Record<string, string | number> = { name: row.label };
      row.byRun.forEach((x, r) => {
        if (x?.p50 !== undefined) point[comparison.runLabels[r] ?? `run ${r + 1}`] = x.p50;
      });
      return point;
    });
  if (data.length === 0) return null;
  return (
    <figure className="chart" data-testid="compare-chart">
      <figcaption>
        Median latency per batch on each device and browser (ms, log scale; lower is better)
        <ChartExport name="compare-devices" />
      </figcaption>
      <MsBarChart data={data} series={comparison.runLabels.map((label, r) => ({ key: label, color: chartColor(r) }))} height={320} />
    </figure>
  );
}
