import type { SliceGap } from '../../lab/fidelity/types';
import type { MeasuredCell } from './fidelity-rows';
import { cellLabel } from './fidelity-rows';

const METRICS = ['accuracy', 'flipRate', 'ece', 'positiveRate'] as const;
const NAMES: Record<(typeof METRICS)[number], string> = { accuracy: 'accuracy', flipRate: 'flip rate', ece: 'ECE', positiveRate: 'positive rate' };

function describe(gap: SliceGap | undefined): string {
  if (!gap) return '—';
  if (gap.state !== 'computed') return 'too few slices';
  const pct = (x: number) => `${(x * 100).toFixed(1)}`;
  const ci = gap.ci ? ` [${pct(gap.ci.low)}–${pct(gap.ci.high)}]` : '';
  return `${pct(gap.gap)} pts${ci}: ${gap.highest.slice} ${pct(gap.highest.value)} vs ${gap.lowest.slice} ${pct(gap.lowest.value)}`;
}

/** Highest minus lowest slice value per metric: the gap a new configuration can widen without moving the overall number. */
export function SliceGaps({ cells, grouping }: { cells: readonly MeasuredCell[]; grouping: string }) {
  return (
    <table data-testid="slice-gaps">
      <caption className="explain">Gap between the highest and the lowest slice ({grouping}), with its 95% interval; slices under the minimum size are left out.</caption>
      <thead>
        <tr>
          <th scope="col">Configuration</th>
          {METRICS.map((m) => (
            <th key={m} scope="col">
              {NAMES[m]} gap
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {cells.map((c) => {
          const g = c.fidelity.report.groupings.find((x) => x.columns.join(' × ') === grouping);
          return (
            <tr key={c.cellId}>
              <th scope="row">{cellLabel(c)}</th>
              {METRICS.map((m) => (
                <td key={m}>{describe(g?.gaps.find((x) => x.metric === m))}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
