import type { MeasuredCell } from './fidelity-rows';
import { cellLabel, pct, sliceMatrix } from './fidelity-rows';

/** Slice × configuration: accuracy and flip rate; cells with flips are tinted (the table is the chart's accessible twin). */
export function SliceTable({ cells, grouping }: { cells: readonly MeasuredCell[]; grouping: string }) {
  const { slices, byCell } = sliceMatrix(cells, grouping);
  return (
    <table data-testid="slice-table">
      <thead>
        <tr>
          <th scope="col">Slice</th>
          <th scope="col">n</th>
          {cells.map((c) => (
            <th key={c.cellId} scope="col">
              {cellLabel(c)}
              <div className="explain">accuracy · flips</div>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {slices.map((slice) => (
          <tr key={slice} data-slice={slice}>
            <th scope="row">{slice}</th>
            <td>{byCell.get(cells[0]?.cellId ?? '')?.get(slice)?.n ?? '—'}</td>
            {cells.map((c) => {
              const m = byCell.get(c.cellId)?.get(slice);
              const flips = m?.flipRate ?? 0;
              return (
                <td key={c.cellId} style={{ background: flips > 0 ? `rgba(180, 35, 24, ${Math.min(0.6, 0.1 + flips * 10)})` : undefined }}>
                  {pct(m?.accuracy)} · {pct(m?.flipRate, 2)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
