import type { DeviceReport } from '../../lab/device/device-report';
import type { CellResult } from '../../lab/results/results';
import { isSoftwareGpuCell, SOFTWARE_GPU_MARK } from '../../lab/results/software-gpu';
import { chartColor } from '../chart-colors';
import { ChartTable } from '../chart-table';
import { ChartExport } from '../export/chart-export';
import { summarize } from './cell-summary';
import { MsDotChart } from './ms-dot-chart';

const SERIES = ['P50', 'P95', 'P99'].map((key, i) => ({ key, color: chartColor(i) }));

/** P50/P95/P99 per completed cell at one batch size; a software GPU's name carries the mark. */
export function LatencyChart({ cells, batchSize, device }: { cells: readonly CellResult[]; batchSize: number; device?: Pick<DeviceReport, 'webgl' | 'webgpu'> | null }) {
  const data = summarize(cells)
    .filter((r) => r.state === 'completed' && r.batchSize === batchSize)
    .map((r) => ({ name: device && isSoftwareGpuCell(r.cell, device) ? `${r.label} (${SOFTWARE_GPU_MARK})` : r.label, P50: r.p50 ?? null, P95: r.p95 ?? null, P99: r.p99 ?? null }));
  if (data.length === 0) return null;
  return (
    <figure className="chart" data-testid={`latency-chart-${batchSize}`}>
      <figcaption>
        Warm latency per batch of {batchSize}: P50 ●, P95 ■, P99 ▲ per configuration (ms, log scale; lower is better)
        <ChartExport name={`latency-b${batchSize}`} />
      </figcaption>
      <MsDotChart data={data} series={SERIES} />
      <ChartTable rows={data} first="name" caption={`Latency per batch of ${batchSize}, ms`} />
    </figure>
  );
}
