/**
 * Kernel profiles for a plan's cells, in runs separate from any timing run:
 * each cell's engine has its profiler armed from the start (profilers slow
 * every kernel, and onnxruntime's must be armed before its module starts),
 * passes the golden check, then profiles one burst at the plan's first batch size.
 */
import type { ResultsDocument } from '../results/results';
import type { DiagnosticOptions } from '../runner/diagnostic-cells';
import { eachCheckedCell } from '../runner/diagnostic-cells';
import type { Plan } from '../runner/plan';
import type { KernelProfileOutcome } from './kernel-profile';

/** Profiled runs per cell: enough to average scheduling noise, few enough for a software GPU. */
export const k_profile_runs = 10;

export async function profilePlan(plan: Plan, options: DiagnosticOptions & { runs?: number }): Promise<KernelProfileOutcome[]> {
  const batchSize = plan.batchSizes[0] ?? 1;
  const runs = options.runs ?? k_profile_runs;
  const cells = await eachCheckedCell(plan, options, { profile: { batchSize, runs } }, (channel) => channel.profile());
  return cells.map((c) => (c.state === 'done' ? c.value : c));
}

/**
 * The plan a profile run uses after a timing run: only the cells that
 * completed there (a cell without a checked answer has nothing to explain).
 * Null when none did.
 */
export function profilingPlan(results: ResultsDocument): Plan | null {
  const cells = results.plan.cells.filter((_, i) => results.cells[i]?.state === 'completed');
  return cells.length > 0 ? { ...results.plan, cells } : null;
}
