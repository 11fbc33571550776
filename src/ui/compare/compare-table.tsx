import type { RunComparison } from '../../lab/results/compare-runs';
import { formatRatio } from '../../lab/results/time-ratio';
import { formatMs } from '../../lab/util/format';

const VERDICT_WORDS = { faster: 'faster', slower: 'slower', indistinguishable: 'indistinguishable' } as const;

/** One row per configuration, one column per run: P50, P95 and the ratio to the reference run with its interval. */
export function CompareTable({ comparison }: { comparison: RunComparison }) {
  const reference = comparison.runLabels[comparison.reference] ?? '';
  return (
    <table className="results-table" data-testid="compare-table">
      <caption className="explain">
        Ratio: this run&apos;s median time over {reference}&apos;s, with a 95% bootstrap interval that resamples both runs&apos; round medians (runs
        share no rounds, so the comparison is unpaired and wider than a paired one); “indistinguishable” when the interval holds 1.
      </caption>
      <thead>
        <tr>
          <th scope="col">Configuration</th>
          {comparison.runLabels.map((label, r) => (
            <th scope="col" key={label}>
              {label}
              {r === comparison.reference && <div className="explain">reference</div>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {comparison.rows.map((row) => (
          <tr key={row.key} data-key={row.key}>
            <th scope="row">{row.label}</th>
            {row.byRun.map((x, r) => (
              <td key={r} data-run={r}>
                {!x ? (
                  <span className="explain">not in this run</span>
                ) : x.p50 === undefined ? (
                  <span className="explain" title={x.message}>
                    {x.state}
                  </span>
                ) : (
                  <>
                    P50 {formatMs(x.p50)} · P95 {formatMs(x.p95)}
                    {x.toleranceLabel && <div className="warning">⚠ {x.toleranceLabel}</div>}
                    {x.vsReference && (
                      <div className="explain" data-testid="compare-ratio" data-verdict={x.vsReference.verdict}>
                        {formatRatio(x.vsReference)} · {VERDICT_WORDS[x.vsReference.verdict]}
                      </div>
                    )}
                  </>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
