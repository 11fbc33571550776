import type { DriftLimits } from '../../lab/fidelity/drift-judge';
import type { MeasuredCell } from './fidelity-rows';
import { cellLabel, driftFlag, pct } from './fidelity-rows';

function interval(ci: { low: number; high: number } | undefined): string {
  return ci ? ` [${(ci.low * 100).toFixed(1)}–${(ci.high * 100).toFixed(1)}]` : '';
}

export function FidelitySummary({ cells, thresholds }: { cells: readonly MeasuredCell[]; thresholds: DriftLimits }) {
  return (
    <table data-testid="fidelity-summary">
      <thead>
        <tr>
          <th scope="col">Configuration</th>
          <th scope="col">Flip rate</th>
          <th scope="col">mean |Δp|</th>
          <th scope="col">max |Δp|</th>
          <th scope="col">Accuracy</th>
          <th scope="col">ECE</th>
          <th scope="col">Attribution ρ (mean / worst)</th>
          <th scope="col">Top-k overlap</th>
          <th scope="col">Drift</th>
        </tr>
      </thead>
      <tbody>
        {cells.map((c) => {
          const o = c.fidelity.report.overall;
          const drift = c.fidelity.report.attributionDrift;
          const flag = driftFlag(c, thresholds);
          return (
            <tr key={c.cellId} data-cell={c.cellId} data-flagged={flag.flagged}>
              <th scope="row">{cellLabel(c)}</th>
              <td>
                {pct(o.flipRate, 2)}
                <span className="explain">{interval(o.ci.flipRate)}</span>
              </td>
              <td>{o.meanAbsDp?.toExponential(1) ?? '—'}</td>
              <td>{o.maxAbsDp?.toExponential(1) ?? '—'}</td>
              <td>
                {pct(o.accuracy)}
                <span className="explain">{interval(o.ci.accuracy)}</span>
              </td>
              <td>{o.ece?.toFixed(3) ?? '—'}</td>
              <td>{drift ? `${drift.overall.meanSpearman.toFixed(3)} / ${drift.overall.minSpearman.toFixed(3)}` : '—'}</td>
              <td>{drift ? `${(drift.overall.meanTopKOverlap * 100).toFixed(0)}% (k=${drift.k})` : '—'}</td>
              <td>{flag.flagged ? <span className="badge badge-errored" title={flag.reasons.join('; ')}>⚑ {flag.reasons.join('; ')}</span> : <span className="badge badge-completed">ok</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
