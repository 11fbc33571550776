import { ENGINES } from '../../lab/engines/engine-descriptors';
import type { Precision } from '../../lab/engines/precision';
import { PRECISION_LABELS, PRECISIONS } from '../../lab/engines/precision';
import type { CellResult } from '../../lab/results/results';
import { formatDiff } from '../../lab/util/format';

function verdict(cell: CellResult): { text: string; title: string } {
  switch (cell.state) {
    case 'completed': {
      const d = Math.max(...cell.agreement.map((a) => a.maxAbsDiff));
      return { text: `✓ ${formatDiff(d)}`, title: `completed: max |Δ| ${formatDiff(d)} vs FP32 golden${cell.precisionInfo ? `; ${cell.precisionInfo.how}` : ''}` };
    }
    case 'unavailable':
      return { text: 'unavailable', title: cell.reason };
    case 'errored':
      return { text: cell.error.kind === 'wrong-results' ? '✗ wrong results' : 'errored', title: cell.error.message };
    case 'aborted':
      return { text: 'aborted', title: cell.reason };
  }
}

/** Engine × precision, derived from the cells that actually ran: what works here, and what answers wrongly. */
export function SupportTable({ cells }: { cells: readonly CellResult[] }) {
  const precisions = PRECISIONS.filter((p) => cells.some((c) => c.precision === p));
  if (precisions.length < 2) return null;
  const engines = [...new Set(cells.map((c) => c.engine))];
  const find = (engine: string, p: Precision) => cells.find((c) => c.engine === engine && c.precision === p);
  return (
    <figure className="chart">
      <figcaption>Support table: each variant on each engine, as run on this device (hover for the reason)</figcaption>
      <table data-testid="support-table">
        <thead>
          <tr>
            <th scope="col">Engine</th>
            {precisions.map((p) => (
              <th key={p} scope="col">
                {PRECISION_LABELS[p]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {engines.map((engine) => (
            <tr key={engine}>
              <th scope="row">{ENGINES[engine].label}</th>
              {precisions.map((p) => {
                const cell = find(engine, p);
                if (!cell) return <td key={p}>—</td>;
                const v = verdict(cell);
                return (
                  <td key={p} title={v.title} data-state={cell.state} className={`badge-${cell.state}`}>
                    {v.text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
