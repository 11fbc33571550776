/**
 * The profiling step inside a cell's worker, after the cell opened (its
 * session agreed with the golden outputs): a second, profiled session of the
 * same model runs a burst, and its outputs must match the checked session's
 * on the same input before any kernel time is kept.
 */
import { isEngineUnsupported } from '../engines/unsupported';
import type { LiveCell } from '../runner/cell-runner';
import { errorMessage } from '../util/errors';
import type { KernelProfileOutcome } from './kernel-profile';
import { summariseKernels } from './kernel-profile';

export async function profileCell(live: LiveCell, batchSize: number, runs: number): Promise<KernelProfileOutcome> {
  const { job, opened, session } = live;
  const base = { cellId: job.cellId, engine: job.cell.engine, precision: job.cell.precision, batchSize };
  const input = live.inputs.get(batchSize);
  if (!input) return { ...base, state: 'errored', message: `Batch size ${batchSize} was not opened for this cell` };
  try {
    const reference = await session.run(input, batchSize);
    const profiled = await session.profileKernels(input, batchSize, runs);
    const tolerance = opened.tolerance.applied;
    const maxAbsDiff = maxAbsDifference(reference, profiled.output);
    if (!(maxAbsDiff <= tolerance)) {
      return {
        ...base,
        state: 'errored',
        message: `The profiling session answered differently from the checked one: max |Δ| ${maxAbsDiff.toExponential(2)} exceeds the cell's tolerance ${tolerance}`,
      };
    }
    return { ...base, state: 'profiled', summary: summariseKernels(profiled), check: { maxAbsDiff, tolerance } };
  } catch (error) {
    if (isEngineUnsupported(error)) return { ...base, state: 'unavailable', reason: error.message };
    return { ...base, state: 'errored', message: `Profiling: ${errorMessage(error)}` };
  }
}

/** NaN when lengths differ or a value is not finite, so the caller's `<=` fails. */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.NaN;
  let max = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    if (!Number.isFinite(d)) return Number.NaN;
    max = Math.max(max, d);
  }
  return max;
}
