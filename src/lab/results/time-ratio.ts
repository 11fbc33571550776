/**
 * The one rule for "how much slower is A than B", wherever A and B were
 * measured. Within one run the cells were sampled in interleaved rounds, so
 * the ratio is paired round by round (bench/ratios.ts) and host drift
 * cancels. Across runs (another day, another device, a baseline) no round of
 * one run pairs with a round of the other, so the ratio of medians gets a
 * percentile bootstrap over the round medians of each (unpaired): the round,
 * not the sample, is the unit that varies with the host, so resampling raw
 * samples as if independent would give intervals narrower than the runs'
 * own round-to-round swings. The CLI's
 * baseline check, the cross-device comparison and the recommendation's ties
 * all call this.
 */
import { seriesRatio, sharesRounds } from '../bench/ratios';
import { roundBridge, roundSeries } from './round-series';
import { shardOf } from './shard';
import type { RatioVerdict } from '../bench/ratios';
import type { BootstrapOptions } from '../bench/statistics';
import { bootstrapRatioOfMediansCi } from '../bench/statistics';
import type { BatchMeasurement, CellResult, ResultsDocument } from './results';
import { formatFactor } from '../util/format';

/** Fewer round medians than this on either side and an unpaired ratio gets no interval. */
const k_min_unpaired_rounds = 2;

/** Bootstrap settings for unpaired ratios when the caller names none (the budget's defaults). */
export const k_ratio_bootstrap: BootstrapOptions = Object.freeze({ iterations: 2000, confidence: 0.95, seed: 1 });

export interface TimeRatio {
  /** Time of A over time of B: < 1 means A is faster. */
  ratio: number;
  low: number;
  /** null when the data cannot bound it (fewer than two paired rounds, a zero median): JSON has no Infinity. */
  high: number | null;
  /** bridged-rounds: two stages of one staged run, through the bridge cell sampled in both. */
  method: 'paired-rounds' | 'bridged-rounds' | 'bootstrap-medians';
  verdict: RatioVerdict;
}

/** One batch size of one cell, with the run it was measured in. */
export interface MeasuredBatch {
  /** Which run: two batches of the same run were sampled in the same interleaved rounds (or, staged, through its bridge). */
  run: string;
  batch: BatchMeasurement;
  /** A staged run's bridge at this batch size (round-series.ts), for cells of two stages. */
  bridge?: BatchMeasurement;
}

/** A run's identity: when it was made, on which device report, under which CLI label. */
export function runKey(doc: Pick<ResultsDocument, 'createdAt' | 'device' | 'origin'>): string {
  // The CLI's label tells apart runs of several browsers started in the same instant.
  return `${doc.createdAt}|${doc.device.probedAt}|${doc.origin?.label ?? ''}`;
}

/**
 * A cell's batch as the ratio rule reads it: its run (in a merge of shards,
 * its shard: shards ran in separate pages and shared no round) and that run's
 * bridge when the run was staged.
 */
export function measuredBatch(doc: Pick<ResultsDocument, 'createdAt' | 'device' | 'origin' | 'cells'>, cell: CellResult, batch: BatchMeasurement): MeasuredBatch {
  const shards = doc.origin?.mergedShards?.count;
  const shardOfCell = (c: CellResult) => (shards ? shardOf(Number(c.cellId.split(':')[0]), shards) : 0);
  const own = shardOfCell(cell);
  const bridge = roundBridge(shards ? doc.cells.filter((c) => shardOfCell(c) === own) : doc.cells, batch.batchSize);
  return { run: shards ? `${runKey(doc)}#shard${own}` : runKey(doc), batch, ...(bridge ? { bridge } : {}) };
}

function verdictOf(low: number, high: number | null): RatioVerdict {
  return high !== null && high < 1 ? 'faster' : low > 1 ? 'slower' : 'indistinguishable';
}

/**
 * A's time over B's, paired by round when both come from one run (through its
 * bridge across stages), otherwise a bootstrap of the ratio of medians: also
 * for two stages of a run whose bridge did not complete (nothing pairs them).
 */
export function timeRatio(a: MeasuredBatch, b: MeasuredBatch, bootstrap: BootstrapOptions = k_ratio_bootstrap): TimeRatio {
  const bridge = a.bridge ?? b.bridge;
  if (a.run === b.run && (bridge !== undefined || sharesRounds(roundSeries(a.batch), roundSeries(b.batch)))) {
    const r = seriesRatio(roundSeries(a.batch), roundSeries(b.batch), bridge ? roundSeries(bridge) : undefined);
    const high = Number.isFinite(r.high) ? r.high : null;
    return { ratio: r.ratio, low: r.low, high, method: r.bridged ? 'bridged-rounds' : 'paired-rounds', verdict: r.verdict };
  }
  const aRounds = a.batch.acrossRounds.roundMedians;
  const bRounds = b.batch.acrossRounds.roundMedians;
  // One round says nothing about how the host swings: the ratio is given, its interval is not bounded.
  if (Math.min(aRounds.length, bRounds.length) < k_min_unpaired_rounds) {
    const ratio = a.batch.acrossRounds.median / b.batch.acrossRounds.median;
    return { ratio, low: 0, high: null, method: 'bootstrap-medians', verdict: 'indistinguishable' };
  }
  const ci = bootstrapRatioOfMediansCi(bRounds, aRounds, bootstrap);
  const high = Number.isFinite(ci.high) ? ci.high : null;
  return { ratio: ci.ratio, low: ci.low, high, method: 'bootstrap-medians', verdict: verdictOf(ci.low, high) };
}

/** How a ratio between two stages of a staged run is labelled wherever it is shown. */
export const k_bridged_words = 'via the bridge cell';

/**
 * "1.42× (1.30–1.55)", "177× (39.2–803)", or "… (1.30–∞)" when unbounded: one
 * number rule (formatFactor) for every ratio; a ratio chained through a staged
 * run's bridge says so wherever it is printed.
 */
export function formatRatio(r: Pick<TimeRatio, 'ratio' | 'low' | 'high'> & { method?: TimeRatio['method']; bridged?: true }): string {
  const bridged = r.method === 'bridged-rounds' || r.bridged === true;
  return `${formatFactor(r.ratio)}× (${formatFactor(r.low)}–${r.high === null ? '∞' : formatFactor(r.high)}${bridged ? `, ${k_bridged_words}` : ''})`;
}
