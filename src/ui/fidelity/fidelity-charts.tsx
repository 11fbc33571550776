import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MeasuredCell } from './fidelity-rows';
import { cellLabel, sliceMatrix } from './fidelity-rows';
import { chartColor, chartDash, REFERENCE_COLOR } from '../chart-colors';
import { ChartTable } from '../chart-table';
import { ChartExport } from '../export/chart-export';

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
        Accuracy per slice ({grouping}), % (the axis starts at 0: differences of a point or two are in the table below)
        <ChartExport name={`accuracy-by-${grouping}`} />
      </figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="slice" />
          <YAxis domain={[0, 100]} label={{ value: 'accuracy, %', angle: -90, position: 'insideLeft' }} />
          <Tooltip />
          <Legend />
          {cells.map((c, i) => (
            <Bar key={c.cellId} dataKey={cellLabel(c)} fill={chartColor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <ChartTable rows={data} first="slice" />
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
        Calibration: accuracy against stated confidence (the grey dashed diagonal is perfect calibration; configurations that agree exactly draw one line over another — the table lists each)
        <ChartExport name="calibration" />
      </figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="confidence" type="number" domain={[0, 1]} />
          <YAxis domain={[0, 1]} />
          <Tooltip />
          <Legend />
          <Line dataKey="ideal" stroke={REFERENCE_COLOR} strokeDasharray="4 4" dot={false} isAnimationActive={false} />
          {cells.map((c, i) => (
            <Line key={c.cellId} dataKey={cellLabel(c)} stroke={chartColor(i)} strokeDasharray={chartDash(i)} strokeWidth={2} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <ChartTable rows={data} first="confidence" />
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
          <Bar dataKey="reference" fill={REFERENCE_COLOR} isAnimationActive={false} />
          {withImportance.map((c, i) => (
            <Bar key={c.cellId} dataKey={cellLabel(c)} fill={chartColor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <ChartTable rows={data} first="feature" />
    </figure>
  );
}
