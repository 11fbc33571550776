import { useState } from 'react';
import { ScrollRegion } from '../scroll-region';
import type { CellResult } from '../../lab/results/results';
import { useRecommendationStore } from '../../store/recommendation-store';
import { measuredCells } from './fidelity-rows';
import { CalibrationChart, ImportanceChart, SliceAccuracyChart } from './fidelity-charts';
import { FidelitySummary } from './fidelity-summary';
import { METRIC_NOTES } from '../../lab/fidelity/metric-notes';
import { SYMBOL_NOTES } from '../../lab/glossary';
import { OcclusionMaps } from './occlusion-maps';
import { FairnessTable } from './fairness-table';
import { SliceGaps } from './slice-gaps';
import { SliceTable } from './slice-table';

export function FidelityPanel({ cells }: { cells: readonly CellResult[] }) {
  const measured = measuredCells(cells);
  const groupings = [...new Set(measured.flatMap((c) => c.fidelity.report.groupings.map((g) => g.columns.join(' × '))))];
  const [grouping, setGrouping] = useState<string | null>(null);
  // The drift budget of the recommendation: flags and recommendation judge the same limits.
  const thresholds = useRecommendationStore((s) => s.needs.drift);
  const setDrift = useRecommendationStore((s) => s.setDrift);
  const notMeasured = cells.flatMap((c) =>
    c.state === 'completed' && c.fidelity && c.fidelity.state !== 'measured' ? [{ cell: c, why: `${c.fidelity.state}: ${c.fidelity.reason}` }] : [],
  );
  if (measured.length === 0 && notMeasured.length === 0) return null;
  const chosen = grouping ?? groupings[0] ?? '';

  return (
    <section className="panel" aria-labelledby="fidelity-heading" data-testid="fidelity-panel">
      <h2 id="fidelity-heading">Fidelity: how far each configuration drifts from the FP32 reference, and for whom</h2>
      <p className="explain">
        Every row of the evaluation data is run through each configuration and compared with the reference answers (FP32: native
        onnxruntime for the lab's models; for yours, the reference the results name). {METRIC_NOTES.intervals}
      </p>
      <div className="row">
        <label>
          Flag flip rate above{' '}
          <input
            type="number"
            min={0}
            max={100}
            step={0.1}
            value={thresholds.maxFlipRate === undefined ? '' : Number((thresholds.maxFlipRate * 100).toPrecision(6))}
            placeholder="any"
            onChange={(e) => setDrift({ maxFlipRate: e.target.value === '' ? undefined : Number(e.target.value) / 100 })}
            style={{ width: '5rem' }}
          />
          %
        </label>
        <label>
          Flag attribution rank correlation below{' '}
          <input
            type="number"
            min={-1}
            max={1}
            step={0.01}
            value={thresholds.minAttributionRankCorrelation ?? ''}
            placeholder="any"
            onChange={(e) => setDrift({ minAttributionRankCorrelation: e.target.value === '' ? undefined : Number(e.target.value) })}
            style={{ width: '5rem' }}
          />
        </label>
        <span className="explain">These limits are also the recommendation's drift budget.</span>
      </div>
      <ScrollRegion label="Fidelity summary, one row per configuration">
        <FidelitySummary cells={measured} thresholds={thresholds} />
      </ScrollRegion>
      <p className="legend-text">{SYMBOL_NOTES.flagged}</p>
      {notMeasured.map(({ cell, why }) => (
        <p key={cell.cellId} className="explain">
          {cell.descriptor.label} {cell.precision}: fidelity {why}
        </p>
      ))}
      <details open>
        <summary>What these numbers mean</summary>
        <ul className="explain">
          {Object.entries(METRIC_NOTES).map(([key, note]) => (
            <li key={key}>{note}</li>
          ))}
        </ul>
      </details>
      {groupings.length > 0 && (
        <>
          <label>
            Slices by{' '}
            <select value={chosen} onChange={(e) => setGrouping(e.target.value)} data-testid="grouping-select">
              {groupings.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </label>
          <SliceAccuracyChart cells={measured} grouping={chosen} />
          <ScrollRegion label="Accuracy and flips per slice">
            <SliceTable cells={measured} grouping={chosen} />
          </ScrollRegion>
          <ScrollRegion label="Fairness figures per slice">
            <FairnessTable cells={measured} grouping={chosen} />
          </ScrollRegion>
          <ScrollRegion label="Gaps between slices">
            <SliceGaps cells={measured} grouping={chosen} />
          </ScrollRegion>
        </>
      )}
      <CalibrationChart cells={measured} />
      <ImportanceChart cells={measured} />
      <OcclusionMaps cells={measured} />
    </section>
  );
}
