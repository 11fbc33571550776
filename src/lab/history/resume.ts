/**
 * What an interrupted run left: a results document of the cells that
 * finished, and a plan of the cells that did not, to run next.
 *
 * A resumption is a run of its own: its cells are timed in rounds of their
 * own, so they are compared with the first session's cells unpaired (as
 * runs on two devices are), never as if they had shared its rounds.
 */
import { cellId, cellIdentity } from '../runner/plan';
import type { Plan } from '../runner/plan';
import { compareCells, timingDisclosure } from '../runner/run-plan';
import { planStages } from '../runner/run-stages';
import type { CellResult, ResultsDocument } from '../results/results';
import { k_results_schema_version } from '../results/results';
import type { RunRecord } from './run-history';

export const k_not_finished_reason = 'Not finished: the page was reloaded or closed before this cell ended';

/** The plan of the cells that never finished (same order, same settings), or null when every cell did. */
export function remainingPlan(plan: Plan, finished: readonly (CellResult | undefined)[]): Plan | null {
  const cells = plan.cells.filter((_, i) => finished[i] === undefined);
  if (cells.length === 0) return null;
  return { ...plan, name: `${plan.name ?? 'custom'} (resumed)`, cells };
}

/**
 * The run as a results document: its own once it ended, otherwise the
 * finished cells, the rest `aborted` with the reason, status 'cancelled'.
 */
export function recordResults(record: RunRecord, finished: readonly (CellResult | undefined)[]): ResultsDocument {
  if (record.results) return record.results;
  const { plan, started } = record;
  const cells = plan.cells.map(
    (cell, i): CellResult => finished[i] ?? { ...cellIdentity(cell, cellId(cell, i)), phases: {}, wallMs: 0, state: 'aborted', reason: k_not_finished_reason },
  );
  const rounds = typeof started.rules === 'object' ? started.rules.rounds : 0;
  // A staged run's bridge closes last, so an interrupted one never has it: cells of different stages stay unranked, and the disclosure says why.
  const staged = plan.stages === 'per-engine' ? { stages: planStages(plan).length, roundsPerStage: rounds, bridge: null } : undefined;
  return {
    kind: 'inference-lab-results',
    schemaVersion: k_results_schema_version,
    createdAt: started.createdAt,
    status: 'cancelled',
    plan,
    rules: started.rules,
    model: started.model,
    device: started.device,
    cells,
    timing: timingDisclosure(cells, staged ? rounds * staged.stages : rounds, staged),
    comparisons: compareCells(cells, plan.batchSizes),
    wallMs: Date.parse(record.updatedAt) - Date.parse(started.createdAt),
  };
}
