/**
 * Kernel profiles for a plan's cells, in runs separate from any timing run:
 * each cell opens on a fresh worker whose engine has its profiler armed
 * (profilers slow every kernel, and onnxruntime's must be armed before its
 * module starts), passes the same golden check as a timed cell, then profiles
 * one burst at the plan's first batch size. Cells run one after another.
 */
import type { KernelProfileOutcome } from './kernel-profile';
import type { CellResult, ResultsDocument } from '../results/results';
import type { Plan } from '../runner/plan';
import { cellId, resolveRules } from '../runner/plan';
import type { RunPlanOptions } from '../runner/run-plan';
import type { Lost } from '../runner/supervisor';
import { CellChannel } from '../runner/supervisor';
import type { CellJob } from '../runner/worker-protocol';

/** Profiled runs per cell: enough to average scheduling noise, few enough for a software GPU. */
export const k_profile_runs = 10;

export interface ProfileProgress {
  runId: number;
  cellIndex: number;
  cellCount: number;
  profile?: KernelProfileOutcome;
}

export async function profilePlan(
  plan: Plan,
  options: Omit<RunPlanOptions, 'onProgress'> & { onProgress?: (p: ProfileProgress) => void; runs?: number },
): Promise<KernelProfileOutcome[]> {
  const batchSize = plan.batchSizes[0] ?? 1;
  const runs = options.runs ?? k_profile_runs;
  // The golden check and a short warm-up only: nothing here is timed.
  const rules = { ...resolveRules(plan), warmupIterations: 2, warmupMinMs: 0 };
  const threads = plan.threads > 0 ? plan.threads : options.device.hardwareConcurrency;
  const outcomes: KernelProfileOutcome[] = [];
  for (const [index, cell] of plan.cells.entries()) {
    const job: CellJob = {
      runId: options.runId,
      cellId: cellId(cell, index),
      cell: { ...cell, fidelity: false },
      modelId: plan.modelId,
      batchSizes: [batchSize],
      rules,
      threads: cell.threads ?? threads,
      tolerance: plan.tolerance,
      timerStepMs: options.device.timer.stepMs,
      fidelity: plan.fidelity,
      appBaseUrl: options.appBaseUrl,
      profile: { batchSize, runs },
    };
    const base = { cellId: job.cellId, engine: cell.engine, precision: cell.precision, batchSize };
    options.onProgress?.({ runId: options.runId, cellIndex: index, cellCount: plan.cells.length });
    const channel = new CellChannel(job, options.createWorker, {
      timeoutMs: cell.timeoutMs ?? plan.cellTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let outcome: KernelProfileOutcome;
    const opened = await channel.open();
    if ('ended' in opened) outcome = { ...base, ...fromEndedCell(opened.ended) };
    else if ('lost' in opened) outcome = { ...base, ...fromLost(opened) };
    else {
      const answer = await channel.profile();
      outcome = 'lost' in answer ? { ...base, ...fromLost(answer) } : answer.ok;
      await channel.close();
    }
    channel.shutdown();
    outcomes.push(outcome);
    options.onProgress?.({ runId: options.runId, cellIndex: index, cellCount: plan.cells.length, profile: outcome });
  }
  return outcomes;
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

type OutcomeState = Exclude<KernelProfileOutcome, { state: 'profiled' }> extends infer O ? (O extends unknown ? Omit<O, 'cellId' | 'engine' | 'precision' | 'batchSize'> : never) : never;

/** A cell that could not open is not profiled; its own state and words carry over. */
function fromEndedCell(result: CellResult): OutcomeState {
  switch (result.state) {
    case 'unavailable':
      return { state: 'unavailable', reason: result.reason };
    case 'errored':
      return { state: 'errored', message: result.error.message };
    case 'aborted':
      return { state: 'aborted', reason: result.reason };
    case 'completed':
      return { state: 'errored', message: 'The cell ended before it was profiled' };
  }
}

function fromLost(lost: Lost): OutcomeState {
  return lost.lost === 'aborted' ? { state: 'aborted', reason: lost.reason } : { state: 'errored', message: lost.message };
}
