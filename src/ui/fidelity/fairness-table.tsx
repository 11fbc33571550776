import type { MeasuredCell } from './fidelity-rows';
import { cellLabel, pct, sliceMatrix } from './fidelity-rows';

/**
 * Per slice, the figures a fairness audit reads: the label's base rate (the
 * data's, the same for every configuration), and for each configuration its
 * true- and false-positive rates, positive rate and the accuracy drop against
 * the reference on the same rows.
 */
export function FairnessTable({ cells, grouping }: { cells: readonly MeasuredCell[]; grouping: string }) {
  const { slices, byCell } = sliceMatrix(cells, grouping);
  const first = byCell.get(cells[0]?.cellId ?? '');
  if (!slices.some((s) => first?.get(s)?.truePositiveRate !== undefined)) return null;
  return (
    <table data-testid="fairness-table">
      <caption className="explain">
        Per slice ({grouping}): base rate of the positive label; then per configuration the true-positive rate (equal opportunity), the false-positive
        rate (equalised odds compares both), the positive rate (demographic parity) and the accuracy drop below the reference on the same rows.
      </caption>
      <thead>
        <tr>
          <th scope="col">Slice</th>
          <th scope="col">n</th>
          <th scope="col">base rate</th>
          {cells.map((c) => (
            <th key={c.cellId} scope="col">
              {cellLabel(c)}
              <div className="explain">TPR · FPR · positive · acc. drop</div>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {slices.map((slice) => {
          const data = first?.get(slice);
          return (
            <tr key={slice} data-slice={slice}>
              <th scope="row">{slice}</th>
              <td>
                {data?.n ?? '—'}
                {data?.positives !== undefined && data.positives !== null && <div className="explain">{data.positives} positive</div>}
              </td>
              <td>{pct(data?.baseRate)}</td>
              {cells.map((c) => {
                const m = byCell.get(c.cellId)?.get(slice);
                const drop = m?.accuracyDrop;
                return (
                  <td key={c.cellId}>
                    {pct(m?.truePositiveRate)} · {pct(m?.falsePositiveRate)} · {pct(m?.positiveRate)} ·{' '}
                    {/* A negative drop is a gain: said as one, not as "-0.9 pts" of drop. */}
                    {drop === null || drop === undefined ? '—' : Number((drop * 100).toFixed(1)) < 0 ? `${(-drop * 100).toFixed(1)} pts better` : `${Math.abs(drop * 100).toFixed(1)} pts`}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
