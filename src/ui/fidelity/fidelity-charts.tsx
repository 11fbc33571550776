import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MeasuredCell } from './fidelity-rows';
import { cellLabel, sliceMatrix } from './fidelity-rows';
import { chartColor } from '../chart-colors';
import { ChartExport } from '../export/chart-export';

/** The numbers behind a chart, for screen readers and for copying. */
function DataTable({ rows, first }: { rows: readonly Record<string, number | string | null>[]; first: string }) {
  const columns = [first, ...Object.keys(rows[0] ?? {}).filter((k) => k !== first)];
  const show = (v: number | string | null | undefined) => (typeof v === 'number' ? Number(v.toPrecision(4)) : (v ?? '—'));
  return (
    <details>
      <summary className="explain">Show as a table</summary>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{show(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function SliceAccuracyChart({ cells, grouping }: { cells: readonly MeasuredCell[]; grouping: string }) {
  const { slices, byCell } = sliceMatrix(cells, grouping);
  const data = slices.map((slice) => {
    const point: Record<string, number | string> = { slice };
    for (const c of cells) {
      const acc = byCell.get(c.cellId)?.get(slice)?.accuracy;
      if (acc !== null && acc !== undefined) point[cellLabel(c)] = Number((acc * 100).toFixed(2));
    }
    return point;
  });
  return (
    <figure className="chart" data-testid="slice-accuracy-chart">
      <figcaption>
        Accuracy per slice ({grouping}), %<ChartExport name={`accuracy-by-${grouping}`} />
      </figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="slice" />
          <YAxis domain={['auto', 'auto']} />
          <Tooltip />
          <Legend />
          {cells.map((c, i) => (
            <Bar key={c.cellId} dataKey={cellLabel(c)} fill={chartColor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function CalibrationChart({ cells }: { cells: readonly MeasuredCell[] }) {
  const bins = cells[0]?.fidelity.report.overall.reliability ?? [];
  const data = bins.map((b, i) => {
    const point: Record<string, number | null> = { confidence: Number(((b.low + b.high) / 2).toFixed(2)), ideal: Number(((b.low + b.high) / 2).toFixed(2)) };
    for (const c of cells) point[cellLabel(c)] = c.fidelity.report.overall.reliability?.[i]?.accuracy ?? null;
    return point;
  });
  return (
    <figure className="chart" data-testid="calibration-chart">
      <figcaption>
        Calibration: accuracy against stated confidence (the dashed diagonal is perfect calibration)
        <ChartExport name="calibration" />
      </figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="confidence" type="number" domain={[0, 1]} />
          <YAxis domain={[0, 1]} />
          <Tooltip />
          <Legend />
          <Line dataKey="ideal" stroke="#999" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
          {cells.map((c, i) => (
            <Line key={c.cellId} dataKey={cellLabel(c)} stroke={chartColor(i)} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <DataTable rows={data} first="confidence" />
    </figure>
  );
}

export function ImportanceChart({ cells }: { cells: readonly MeasuredCell[] }) {
  const withImportance = cells.filter((c) => c.fidelity.importance);
  const first = withImportance[0]?.fidelity.importance;
  if (!first) return null;
  const data = first.groupNames.map((name, g) => {
    const point: Record<string, number | string> = { feature: name, reference: first.reference[g] ?? 0 };
    for (const c of withImportance) point[cellLabel(c)] = c.fidelity.importance?.cell[g] ?? 0;
    return point;
  });
  return (
    <figure className="chart" data-testid="importance-chart">
      <figcaption>
        Feature importance: mean |KernelSHAP value| over {first.explainedRows} explained rows (reference: FP32, as the results say)
        <ChartExport name="importance" />
      </figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="feature" />
          <YAxis />
          <Tooltip />
          <Legend />
          <Bar dataKey="reference" fill="#999" isAnimationActive={false} />
          {withImportance.map((c, i) => (
            <Bar key={c.cellId} dataKey={cellLabel(c)} fill={chartColor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <DataTable rows={data} first="feature" />
    </figure>
  );
}
