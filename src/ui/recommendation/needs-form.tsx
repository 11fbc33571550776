import { HARDWARE_KINDS, HARDWARE_LABELS } from '../../lab/engines/hardware';
import type { DriftLimits } from '../../lab/fidelity/drift-judge';
import { k_objective_percentiles } from '../../lab/results/recommendation-needs';
import { useRecommendationStore } from '../../store/recommendation-store';

/** A number input that may be left empty (the limit is then not asked); `scale` shows fractions as % or points. */
function OptionalNumber({ label, value, scale, onChange, step, testId }: { label: string; value: number | undefined; scale: number; step: number; onChange: (v: number | undefined) => void; testId: string }) {
  return (
    <label>
      {label}{' '}
      <input
        type="number"
        step={step}
        value={value === undefined ? '' : Number((value * scale).toPrecision(6))}
        placeholder="any"
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value) / scale)}
        style={{ width: '5rem' }}
        data-testid={testId}
      />
    </label>
  );
}

/** What the deployment needs: an objective, a drift budget and what an hour of each kind of hardware costs. */
export function NeedsForm({ batchSizes }: { batchSizes: readonly number[] }) {
  const needs = useRecommendationStore((s) => s.needs);
  const error = useRecommendationStore((s) => s.error);
  const setObjective = useRecommendationStore((s) => s.setObjective);
  const setDrift = useRecommendationStore((s) => s.setDrift);
  const setPrice = useRecommendationStore((s) => s.setPrice);
  const o = needs.objective;
  const drift = (key: keyof DriftLimits) => (v: number | undefined) => setDrift({ [key]: v });
  const batchChoices = [...new Set([...batchSizes, ...(o.kind === 'latency' ? [o.batchSize] : [])])].sort((a, b) => a - b);

  return (
    <fieldset className="plan-form" data-testid="needs-form">
      <legend>What the deployment needs</legend>
      <div className="row">
        <label className="check">
          <input type="radio" name="objective" checked={o.kind === 'latency'} onChange={() => setObjective({ kind: 'latency', percentile: 'p95', maxMs: 50, batchSize: batchChoices[0] ?? 1 })} />
          latency objective
        </label>
        <label className="check">
          <input type="radio" name="objective" checked={o.kind === 'throughput'} onChange={() => setObjective({ kind: 'throughput', minRowsPerSec: 1000 })} />
          throughput target
        </label>
        {o.kind === 'latency' ? (
          <>
            <select value={o.percentile} onChange={(e) => setObjective({ ...o, percentile: e.target.value as typeof o.percentile })} aria-label="Latency percentile">
              {k_objective_percentiles.map((p) => (
                <option key={p} value={p}>
                  {p.toUpperCase()}
                </option>
              ))}
            </select>
            <label>
              ≤{' '}
              <input type="number" min={0} step={0.1} value={o.maxMs} onChange={(e) => setObjective({ ...o, maxMs: Number(e.target.value) })} style={{ width: '5rem' }} data-testid="objective-ms" />{' '}
              ms at batch
            </label>
            <select value={o.batchSize} onChange={(e) => setObjective({ ...o, batchSize: Number(e.target.value) })} aria-label="Objective batch size" data-testid="objective-batch">
              {batchChoices.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </>
        ) : (
          <label>
            at least{' '}
            <input type="number" min={0} step={100} value={o.minRowsPerSec} onChange={(e) => setObjective({ ...o, minRowsPerSec: Number(e.target.value) })} style={{ width: '7rem' }} data-testid="objective-rows" />{' '}
            rows/s on one device
          </label>
        )}
      </div>
      <div className="row">
        <span>Drift budget, in every slice:</span>
        <OptionalNumber label="flip rate ≤ (%)" value={needs.drift.maxFlipRate} scale={100} step={0.1} onChange={drift('maxFlipRate')} testId="drift-flip" />
        <OptionalNumber label="accuracy drop ≤ (pts)" value={needs.drift.maxAccuracyDrop} scale={100} step={0.1} onChange={drift('maxAccuracyDrop')} testId="drift-accuracy" />
        <OptionalNumber label="attribution rank correlation ≥" value={needs.drift.minAttributionRankCorrelation} scale={1} step={0.01} onChange={drift('minAttributionRankCorrelation')} testId="drift-rank" />
        <OptionalNumber label="TPR gap between slices ≤ (pts)" value={needs.drift.maxTruePositiveRateGap} scale={100} step={0.5} onChange={drift('maxTruePositiveRateGap')} testId="drift-tpr" />
      </div>
      <div className="row">
        <span>Price per hour ($):</span>
        {HARDWARE_KINDS.map((kind) => (
          <label key={kind}>
            {HARDWARE_LABELS[kind]}{' '}
            <input
              type="number"
              min={0}
              step={0.01}
              value={needs.pricePerHour[kind]}
              onChange={(e) => setPrice(kind, Math.max(0, Number(e.target.value)))}
              aria-label={`${HARDWARE_LABELS[kind]} price per hour in dollars`}
              style={{ width: '6rem' }}
              data-testid={`price-${kind}`}
            />
          </label>
        ))}
        <span className="explain">A WebGL/WebGPU cell on a software adapter runs on the CPU and is priced as the CPU.</span>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
