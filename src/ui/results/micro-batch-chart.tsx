import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CellResult } from '../../lab/results/results';
import { chartColor } from '../chart-colors';
import { k_log_padded } from './ms-dot-chart';
import { cellDisplayName } from './cell-summary';
import type { DeviceReport } from '../../lab/device/device-report';
import { isSoftwareGpuCell, SOFTWARE_GPU_MARK } from '../../lab/results/software-gpu';
import { ChartTable } from '../chart-table';
import { ChartExport } from '../export/chart-export';

/** 2M, 500k: rows per second span six digits, and long ticks run into the axis label. */
const k_compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 2 });

/**
 * Micro-batching on one chart: for each cell, latency of one batch (dashed,
 * left axis) and rows per second (solid, right axis) against batch size. The
 * batch size where throughput stops rising while latency keeps climbing is
 * the end of what batching buys.
 */
export function MicroBatchChart({ cells, device }: { cells: readonly CellResult[]; device?: Pick<DeviceReport, 'webgl' | 'webgpu'> | null }) {
  const completed = cells.filter((c) => c.state === 'completed');
  const batchSizes = [...new Set(completed.flatMap((c) => c.batches.map((b) => b.batchSize)))].sort((a, b) => a - b);
  if (batchSizes.length < 2) return null;
  const name = (c: CellResult) =>
    `${cellDisplayName(c)}${c.runtime && c.runtime.threads > 0 ? ` ${c.runtime.threads}t` : ''}${device && isSoftwareGpuCell(c, device) ? ` (${SOFTWARE_GPU_MARK})` : ''}`;
  const data = batchSizes.map((batchSize) => {
    const point: Record<string, number> = { batchSize };
    for (const c of completed) {
      const b = c.batches.find((x) => x.batchSize === batchSize);
      if (!b) continue;
      point[`${name(c)} ms`] = b.stats.p50;
      point[`${name(c)} rows/s`] = Math.round(b.throughputPerSec);
    }
    return point;
  });
  return (
    <figure className="chart" data-testid="micro-batch-chart">
      <figcaption>
        Micro-batching: median latency per batch (dashed, left axis, ms) and rows per second (solid, right axis), against batch size; both axes
        logarithmic
        <ChartExport name="micro-batching" />
      </figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="batchSize" scale="log" domain={['dataMin', 'dataMax']} type="number" ticks={batchSizes} label={{ value: 'batch size', position: 'insideBottomRight', offset: -4 }} />
          <YAxis yAxisId="ms" scale="log" domain={k_log_padded} label={{ value: 'ms per batch', angle: -90, position: 'insideLeft' }} />
          <YAxis yAxisId="rows" orientation="right" scale="log" domain={k_log_padded} width={70} tickFormatter={(v: number) => k_compact.format(v)} label={{ value: 'rows/s', angle: 90, position: 'insideRight', offset: -2 }} />
          <Tooltip />
          <Legend />
          {completed.flatMap((c, i) => [
            <Line key={`${c.cellId}-ms`} yAxisId="ms" dataKey={`${name(c)} ms`} stroke={chartColor(i)} strokeDasharray="5 4" legendType="plainline" isAnimationActive={false} />,
            <Line key={`${c.cellId}-rows`} yAxisId="rows" dataKey={`${name(c)} rows/s`} stroke={chartColor(i)} strokeWidth={2} legendType="plainline" isAnimationActive={false} />,
          ])}
        </ComposedChart>
      </ResponsiveContainer>
      <ChartTable rows={data} first="batchSize" caption="Median ms per batch and rows per second, per configuration and batch size" />
    </figure>
  );
}
