import { equalisedOddsGap } from '../../lab/fidelity/fidelity-report';
import type { SliceGap } from '../../lab/fidelity/types';
import type { MeasuredCell } from './fidelity-rows';
import { cellLabel } from './fidelity-rows';

const METRICS = ['accuracy', 'flipRate', 'ece', 'positiveRate', 'truePositiveRate', 'falsePositiveRate'] as const;
const NAMES: Record<(typeof METRICS)[number], string> = {
  accuracy: 'accuracy',
  flipRate: 'flip rate',
  ece: 'ECE',
  positiveRate: 'positive rate',
  truePositiveRate: 'TPR (equal opportunity)',
  falsePositiveRate: 'FPR',
};

const pct = (x: number) => `${(x * 100).toFixed(1)}`;

function describe(gap: SliceGap | undefined): string {
  if (!gap) return '—';
  if (gap.state !== 'computed') return 'too few slices';
  const ci = gap.ci ? ` [${pct(gap.ci.low)}–${pct(gap.ci.high)}]` : '';
  // Equal values: say so rather than set a slice against another with the same number.
  if (gap.gap === 0) return `no gap: every slice ${pct(gap.highest.value)}${ci}`;
  return `${pct(gap.gap)} pts${ci}: ${gap.highest.slice} ${pct(gap.highest.value)} vs ${gap.lowest.slice} ${pct(gap.lowest.value)}`;
}

/** Highest minus lowest slice value per metric: the gap a new configuration can widen without moving the overall number. */
export function SliceGaps({ cells, grouping }: { cells: readonly MeasuredCell[]; grouping: string }) {
  return (
    <table data-testid="slice-gaps">
      <caption className="explain">
        Gap between the highest and the lowest slice ({grouping}), with its 95% interval; slices under the minimum size are left out (for TPR and
        FPR, slices with too few positive or negative rows). Equalised odds is the larger of the TPR and FPR gaps.
      </caption>
      <thead>
        <tr>
          <th scope="col">Configuration</th>
          {METRICS.map((m) => (
            <th key={m} scope="col">
              {NAMES[m]} gap
            </th>
          ))}
          <th scope="col">equalised odds gap</th>
        </tr>
      </thead>
      <tbody>
        {cells.map((c) => {
          const g = c.fidelity.report.groupings.find((x) => x.columns.join(' × ') === grouping);
          const odds = g ? equalisedOddsGap(g.gaps) : null;
          return (
            <tr key={c.cellId}>
              <th scope="row">{cellLabel(c)}</th>
              {METRICS.map((m) => (
                <td key={m}>{describe(g?.gaps.find((x) => x.metric === m))}</td>
              ))}
              <td data-testid="equalised-odds">{odds === null ? '—' : `${pct(odds)} pts`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
