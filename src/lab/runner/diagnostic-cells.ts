/**
 * Runs that explain rather than time (kernel profiles, harness overhead):
 * each plan cell opens on a fresh worker, passes the same golden check as a
 * timed cell, takes one request, and closes. Cells run one after another.
 */
import type { CellResult } from '../results/results';
import type { Plan } from './plan';
import { resolveRules } from './plan';
import type { RunPlanOptions } from './run-plan';
import { cellJob } from './run-plan';
import type { Lost } from './supervisor';
import { CellChannel } from './supervisor';
import type { CellJob } from './worker-protocol';

export interface DiagnosticProgress {
  runId: number;
  cellIndex: number;
  cellCount: number;
}

export type DiagnosticOptions = Omit<RunPlanOptions, 'onProgress'> & { onProgress?: (p: DiagnosticProgress) => void };

/** What a cell that never reached its request ended as. */
export type NotReached = { state: 'unavailable'; reason: string } | { state: 'errored'; message: string } | { state: 'aborted'; reason: string };

export interface CellKey {
  cellId: string;
  engine: string;
  precision: string;
  batchSize: number;
}

export async function eachCheckedCell<T>(
  plan: Plan,
  options: DiagnosticOptions,
  extra: Pick<CellJob, 'profile'>,
  ask: (channel: CellChannel, key: CellKey) => Promise<{ ok: T } | Lost>,
): Promise<(CellKey & ({ state: 'done'; value: T } | NotReached))[]> {
  const batchSize = plan.batchSizes[0] ?? 1;
  // The golden check and a short warm-up only: nothing here is a latency figure.
  const rules = { ...resolveRules(plan), warmupIterations: 2, warmupMinMs: 0 };
  const threads = plan.threads > 0 ? plan.threads : options.device.hardwareConcurrency;
  const out: (CellKey & ({ state: 'done'; value: T } | NotReached))[] = [];
  for (const [index, cell] of plan.cells.entries()) {
    const job = cellJob(plan, index, options, { rules, threads, cell: { ...cell, fidelity: false }, batchSizes: [batchSize], ...extra });
    const key: CellKey = { cellId: job.cellId, engine: cell.engine, precision: cell.precision, batchSize };
    options.onProgress?.({ runId: options.runId, cellIndex: index, cellCount: plan.cells.length });
    const channel = new CellChannel(job, options.createWorker, { timeoutMs: cell.timeoutMs ?? plan.cellTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    const opened = await channel.open();
    if ('ended' in opened) out.push({ ...key, ...fromEndedCell(opened.ended) });
    else if ('lost' in opened) out.push({ ...key, ...fromLost(opened) });
    else {
      const answer = await ask(channel, key);
      out.push('lost' in answer ? { ...key, ...fromLost(answer) } : { ...key, state: 'done', value: answer.ok });
      await channel.close();
    }
    channel.shutdown();
  }
  options.onProgress?.({ runId: options.runId, cellIndex: plan.cells.length, cellCount: plan.cells.length });
  return out;
}

/** A cell that could not open keeps its own state and words. */
function fromEndedCell(result: CellResult): NotReached {
  switch (result.state) {
    case 'unavailable':
      return { state: 'unavailable', reason: result.reason };
    case 'errored':
      return { state: 'errored', message: result.error.message };
    case 'aborted':
      return { state: 'aborted', reason: result.reason };
    case 'completed':
      return { state: 'errored', message: 'The cell ended before its request' };
  }
}

function fromLost(lost: Lost): NotReached {
  return lost.lost === 'aborted' ? { state: 'aborted', reason: lost.reason } : { state: 'errored', message: lost.message };
}
