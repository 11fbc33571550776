import type { BatchMeasurement } from '../results/results';
import { roundMedians, summariseRounds } from './ratios';
import { computeStatistics, sortSamples } from './statistics';
import { latencyTrend } from './trend';

/**
 * Every figure of one batch size from its raw samples per round: the runner
 * builds results with it, and `compare` rebuilds them with it to check that a
 * saved file's statistics follow from its samples.
 */
export function summariseBatch(
  batchSize: number,
  rounds: number[][],
  warmupMs: number[] = [],
  callsPerSample = 1,
  /** When each round's block started, ms after sampling began; with `sustained`, the latency trend is fitted over them. */
  roundStartMs: number[] = [],
  sustained = false,
): BatchMeasurement {
  const samplesMs = rounds.flat();
  const stats = computeStatistics(sortSamples(samplesMs));
  const medians = roundMedians(rounds);
  return {
    batchSize,
    warmupMs,
    callsPerSample,
    rounds,
    samplesMs,
    stats,
    acrossRounds: { ...summariseRounds(medians), roundMedians: medians },
    roundStartMs,
    ...(sustained ? { trend: roundStartMs.length === medians.length ? latencyTrend(roundStartMs, medians) : null } : {}),
    throughputPerSec: stats.p50 > 0 ? (batchSize * 1000) / stats.p50 : 0,
  };
}
