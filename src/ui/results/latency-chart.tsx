import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DeviceReport } from '../../lab/device/device-report';
import type { CellResult } from '../../lab/results/results';
import { isSoftwareGpuCell, SOFTWARE_GPU_MARK } from '../../lab/results/software-gpu';
import { chartColor } from '../chart-colors';
import { ChartTable } from '../chart-table';
import { summarize } from './cell-summary';

const PERCENTILES = [
  { key: 'P50', shape: 'circle' },
  { key: 'P95', shape: 'square' },
  { key: 'P99', shape: 'triangle' },
] as const;

/** A dot of one percentile: its own shape as well as its own colour, so neither alone carries the meaning. */
function Marker({ cx, cy, shape, color }: { cx?: number; cy?: number; shape: (typeof PERCENTILES)[number]['shape']; color: string }) {
  if (cx === undefined || cy === undefined || !Number.isFinite(cy)) return null;
  if (shape === 'circle') return <circle cx={cx} cy={cy} r={6} fill={color} />;
  if (shape === 'square') return <rect x={cx - 5.5} y={cy - 5.5} width={11} height={11} fill={color} />;
  return <polygon points={`${cx},${cy - 7} ${cx + 7},${cy + 6} ${cx - 7},${cy + 6}`} fill={color} />;
}

/**
 * P50/P95/P99 per completed cell at one batch size, as dots on a log axis
 * (engines differ by 100×). Dots, not bars: a bar on a log axis has no zero
 * and its length reads as a ratio it is not. A software GPU's name carries the
 * mark; every configuration gets its own labelled tick.
 */
export function LatencyChart({ cells, batchSize, device }: { cells: readonly CellResult[]; batchSize: number; device?: Pick<DeviceReport, 'webgl' | 'webgpu'> | null }) {
  const data = summarize(cells)
    .filter((r) => r.state === 'completed' && r.batchSize === batchSize)
    .map((r) => ({ name: device && isSoftwareGpuCell(r.cell, device) ? `${r.label} (${SOFTWARE_GPU_MARK})` : r.label, P50: r.p50 ?? null, P95: r.p95 ?? null, P99: r.p99 ?? null }));
  if (data.length === 0) return null;
  return (
    <figure className="chart" data-testid={`latency-chart-${batchSize}`}>
      <figcaption>Warm latency per batch of {batchSize}: P50 ●, P95 ■, P99 ▲ per configuration (ms, log scale; lower is better)</figcaption>
      <ResponsiveContainer width="100%" height={360}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" interval={0} angle={-20} textAnchor="end" height={110} tick={{ fontSize: 13 }} />
          <YAxis scale="log" domain={['auto', 'auto']} allowDataOverflow tickFormatter={(v: number) => v.toPrecision(2)} label={{ value: 'ms per batch (log)', angle: -90, position: 'insideLeft' }} />
          <Tooltip formatter={(v) => `${Number(v).toPrecision(3)} ms`} />
          <Legend />
          {PERCENTILES.map((p, i) => (
            <Line
              key={p.key}
              dataKey={p.key}
              stroke="none"
              fill={chartColor(i)}
              legendType={p.shape}
              dot={(props: { cx?: number; cy?: number; index?: number }) => <Marker key={`${p.key}-${props.index ?? 0}`} cx={props.cx} cy={props.cy} shape={p.shape} color={chartColor(i)} />}
              activeDot={false}
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      <ChartTable rows={data} first="name" caption={`Latency per batch of ${batchSize}, ms`} />
    </figure>
  );
}
