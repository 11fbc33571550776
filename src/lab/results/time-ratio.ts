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
import { pairedRatio } from '../bench/ratios';
import type { RatioVerdict } from '../bench/ratios';
import type { BootstrapOptions } from '../bench/statistics';
import { bootstrapRatioOfMediansCi } from '../bench/statistics';
import type { BatchMeasurement, ResultsDocument } from './results';
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
  method: 'paired-rounds' | 'bootstrap-medians';
  verdict: RatioVerdict;
}

/** One batch size of one cell, with the run it was measured in. */
export interface MeasuredBatch {
  /** Which run: two batches of the same run were sampled in the same interleaved rounds. */
  run: string;
  batch: BatchMeasurement;
}

/** A run's identity: when it was made, on which device report, under which CLI label. */
export function runKey(doc: Pick<ResultsDocument, 'createdAt' | 'device' | 'origin'>): string {
  // The CLI's label tells apart runs of several browsers started in the same instant.
  return `${doc.createdAt}|${doc.device.probedAt}|${doc.origin?.label ?? ''}`;
}

function verdictOf(low: number, high: number | null): RatioVerdict {
  return high !== null && high < 1 ? 'faster' : low > 1 ? 'slower' : 'indistinguishable';
}

/** A's time over B's, paired by round when both come from one run, otherwise a bootstrap of the ratio of medians. */
export function timeRatio(a: MeasuredBatch, b: MeasuredBatch, bootstrap: BootstrapOptions = k_ratio_bootstrap): TimeRatio {
  if (a.run === b.run) {
    const r = pairedRatio(a.batch.acrossRounds.roundMedians, b.batch.acrossRounds.roundMedians);
    const high = Number.isFinite(r.high) ? r.high : null;
    return { ratio: r.ratio, low: r.low, high, method: 'paired-rounds', verdict: r.verdict };
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

/** "1.42× (1.30–1.55)", "177× (39.2–803)", or "… (1.30–∞)" when unbounded: one number rule (formatFactor) for every ratio. */
export function formatRatio(r: Pick<TimeRatio, 'ratio' | 'low' | 'high'>): string {
  return `${formatFactor(r.ratio)}× (${formatFactor(r.low)}–${r.high === null ? '∞' : formatFactor(r.high)})`;
}
