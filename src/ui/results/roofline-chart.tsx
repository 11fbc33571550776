import { useRef } from 'react';
import { CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ceilingFor, shareOfCeiling } from '../../lab/device/ceilings/roofline';
import type { CeilingReport } from '../../lab/device/ceilings/ceilings';
import { figure, formatGflops } from '../../lab/results/figures';
import type { CellResult } from '../../lab/results/results';
import { useDeviceStore } from '../../store/device-store';
import { chartColor } from '../chart-colors';
import { cellDisplayName } from './cell-summary';
import { ChartExport } from '../export/chart-export';

interface Point {
  cellId: string;
  name: string;
  backend: CellResult['descriptor']['backend'];
  threads: number;
  batchSize: number;
  gflops: number;
}

function points(cells: readonly CellResult[]): Point[] {
  const f = figure('gflops');
  return cells.flatMap((c) => {
    if (c.state !== 'completed' || f.scope !== 'batch') return [];
    const threads = c.runtime?.threads ?? 0;
    const name = `${cellDisplayName(c)}${threads > 0 ? ` ${threads}t` : ''}`;
    return c.batches.flatMap((b) => {
      const gflops = f.value(c, b);
      return gflops === null ? [] : [{ cellId: c.cellId, name, backend: c.descriptor.backend, threads, batchSize: b.batchSize, gflops }];
    });
  });
}

function ceilingLines(ceilings: CeilingReport | null): { name: string; gflops: number }[] {
  if (!ceilings) return [];
  const wasm = ceilings.wasmSimd.status === 'available' ? ceilings.wasmSimd.detail.points.map((p) => ({ name: `wasm SIMD ${p.threads}t`, gflops: p.gflops })) : [];
  const gpu = ceilings.webgpu.status === 'available' ? [{ name: `WebGPU${ceilings.webgpu.detail.software ? ' (software)' : ''}`, gflops: ceilings.webgpu.detail.gflops }] : [];
  return [...wasm, ...gpu];
}

/**
 * Each cell and batch size as a point (achieved GFLOP/s) under the device's
 * measured compute ceilings (horizontal lines). Only the compute roof is
 * measured, not memory bandwidth, so the x axis is batch size, not
 * arithmetic intensity. The table under it says the same in words.
 */
export function RooflineChart({ cells }: { cells: readonly CellResult[] }) {
  const ceilings = useDeviceStore((s) => s.ceilings);
  const status = useDeviceStore((s) => s.ceilingsStatus);
  const measure = useDeviceStore((s) => s.measureCeilings);
  const chartRef = useRef<HTMLElement>(null);
  const data = points(cells);
  if (data.length === 0) return null;
  const lines = ceilingLines(ceilings);
  const byCell = [...new Set(data.map((p) => p.cellId))];
  const batchSizes = [...new Set(data.map((p) => p.batchSize))].sort((a, b) => a - b);
  const top = Math.max(...data.map((p) => p.gflops), ...lines.map((l) => l.gflops));
  const bottom = Math.min(...data.map((p) => p.gflops), ...lines.map((l) => l.gflops));
  return (
    <figure className="chart" data-testid="roofline-chart" ref={chartRef} tabIndex={-1}>
      <figcaption>
        How close to the hardware: achieved GFLOP/s per cell and batch size (points) against this device&apos;s measured compute ceilings
        (lines); log scale. FLOPs per row are counted from the model&apos;s FP32 ONNX graph.
        <ChartExport name="roofline" />
      </figcaption>
      {!ceilings && (
        <p className="explain">
          No ceilings measured in this page yet.{' '}
          {/* The button goes once the ceilings are in: focus moves to the chart they were measured for, not to the page. */}
          <button
            onClick={() => (status === 'measuring' ? undefined : void measure().then(() => chartRef.current?.focus()))}
            aria-disabled={status === 'measuring'}
            data-testid="roofline-measure"
          >
            {status === 'measuring' ? 'Measuring…' : 'Measure the ceilings'}
          </button>
        </p>
      )}
      <ResponsiveContainer width="100%" height={320}>
        <ScatterChart margin={{ top: 8, right: 24, bottom: 8, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="batchSize" type="number" scale="log" domain={['dataMin', 'dataMax']} ticks={batchSizes} allowDuplicatedCategory={false} label={{ value: 'batch size', position: 'insideBottomRight', offset: -4 }} />
          <YAxis width={72} dataKey="gflops" type="number" scale="log" domain={[bottom / 2, top * 2]} tickFormatter={(v: number) => v.toPrecision(2)} label={{ value: 'GFLOP/s', angle: -90, position: 'insideLeft' }} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toPrecision(3) : String(v))} />
          <Legend />
          {/* Labels inside the plot, alternating left-above and right-below, so close ceilings stay readable. */}
          {lines.map((l, i) => (
            <ReferenceLine key={l.name} y={l.gflops} stroke="#57606a" strokeDasharray="6 3" label={{ value: `${l.name} ${l.gflops.toPrecision(3)}`, position: i % 2 === 0 ? 'insideTopLeft' : 'insideBottomRight', fontSize: 11 }} />
          ))}
          {byCell.map((id, i) => (
            <Scatter key={id} name={data.find((p) => p.cellId === id)?.name ?? id} data={data.filter((p) => p.cellId === id)} fill={chartColor(i)} line isAnimationActive={false} />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
      <table className="results-table" data-testid="roofline-table">
        <caption className="explain">The roofline as a table: each cell&apos;s achieved rate and its share of the ceiling that applies to its backend.</caption>
        <thead>
          <tr>
            <th scope="col">Cell</th>
            <th scope="col">Batch</th>
            <th scope="col">Achieved</th>
            <th scope="col">Ceiling</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {data.map((p) => {
            const ceiling = ceilingFor(p.backend, p.threads, ceilings);
            const share = shareOfCeiling(p.gflops, ceiling);
            return (
              <tr key={`${p.cellId}-${p.batchSize}`} data-cell={p.cellId}>
                <th scope="row">{p.name}</th>
                <td>{p.batchSize}</td>
                <td data-testid="roofline-gflops">{formatGflops(p.gflops)}</td>
                <td>{ceiling ? `${ceiling.name}: ${formatGflops(ceiling.gflops)}` : ceilings ? 'none measured for this backend' : 'not measured yet'}</td>
                <td>{share === null ? '—' : `${(share * 100).toPrecision(2)}%`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
