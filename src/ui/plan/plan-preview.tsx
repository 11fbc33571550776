import type { DeviceReport } from '../../lab/device/device-report';
import type { EnginePrediction } from '../../lab/models/user/model-card';
import type { Plan } from '../../lab/runner/plan';
import { formatEstimate, previewPlan } from '../../lab/runner/plan-preview';

const STATE_WORDS = { runs: 'will run', 'cannot-run': 'cannot run here', 'may-not-run': 'may not run' } as const;

/**
 * What Run will do, before it is pressed: how many cells, about how long, and
 * each cell with what this device already says about it (a cell that cannot
 * run is still run and reported unavailable with the engine's words).
 */
export function PlanPreviewList({ plan, device, modelPrecisions, predictions }: { plan: Plan; device: DeviceReport | null; modelPrecisions: readonly string[] | null; predictions: readonly EnginePrediction[] | null }) {
  const preview = previewPlan(plan, device, modelPrecisions, predictions);
  const blocked = preview.cells.length - preview.runnable;
  return (
    <details className="plan-preview" data-testid="plan-preview">
      <summary>
        <span data-testid="plan-preview-summary">
          {preview.runnable} of {preview.cells.length} cells will run{blocked > 0 ? ` (${blocked} cannot run here)` : ''} · {formatEstimate(preview.estimateSeconds)} here
        </span>
      </summary>
      <ul className="plan-preview-cells">
        {preview.cells.map((c) => (
          <li key={c.index} className={`outlook-${c.outlook.state}`} data-outlook={c.outlook.state}>
            <strong>{c.label}</strong>: {STATE_WORDS[c.outlook.state]}
            {c.outlook.state !== 'runs' && <span className="explain"> — {c.outlook.reason}</span>}
          </li>
        ))}
      </ul>
      <p className="explain">
        The time is a rough guide from a 2-core laptop; a cell that cannot run costs a moment and is reported with the engine&apos;s reason. A preset
        chooses its cells (the quick plan runs INT8 only on the engines with integer kernels); a change to the engine or precision boxes runs every
        ticked engine at every ticked precision. 4-bit is a variant damaged on purpose, to show what drift looks like.
      </p>
      <p className="explain" id="stages-note">
        {plan.stages === 'per-engine'
          ? 'Order, engine by engine: each engine is fetched, measured and finished before the next, so the first results come sooner; one cell is measured in every round as a bridge, and cells of two engines are compared through it (wider intervals).'
          : 'Order, all in every round: every runtime is fetched before the first result, and every cell is compared round by round with every other (the tightest intervals).'}
      </p>
    </details>
  );
}
