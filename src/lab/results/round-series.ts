/**
 * A measurement's rounds as the ratio rules read them, and a staged run's
 * bridge: the one cell sampled in every round, through which cells of
 * different stages are compared (bench/ratios.ts, seriesRatio).
 */
import type { RoundSeries } from '../bench/ratios';
import type { BatchMeasurement, CellResult } from './results';

export function roundSeries(batch: Pick<BatchMeasurement, 'acrossRounds' | 'roundIds'>): RoundSeries {
  return { medians: batch.acrossRounds.roundMedians, ...(batch.roundIds ? { ids: batch.roundIds } : {}) };
}

/**
 * The bridge at this batch size: in a staged run, the completed cell whose
 * rounds hold every round any cell was sampled in. None in a one-stage run
 * (every cell shares every round) or when the bridge did not complete.
 */
export function roundBridge(cells: readonly CellResult[], batchSize: number): BatchMeasurement | undefined {
  const batches = cells.flatMap((c) => (c.state === 'completed' ? c.batches.filter((b) => b.batchSize === batchSize) : []));
  if (!batches.some((b) => b.roundIds !== undefined)) return undefined;
  const every = new Set(batches.flatMap((b) => b.roundIds ?? []));
  return batches.find((b) => b.roundIds !== undefined && b.roundIds.length === every.size && b.roundIds.every((id) => every.has(id)));
}
