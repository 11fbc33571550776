/**
 * Summary statistics for benchmark samples.
 *
 * Shaped after tinybench's `computeStatistics(SortedSamples)`: percentiles,
 * the median and its interval all need sorted data, so sorting happens once,
 * in `sortSamples`, and the type system remembers that it happened. Nothing
 * here drops or trims samples; any trimming must be an explicit, named rule
 * applied before (mitata's habit), never a silent side effect of summarising.
 *
 * Every threshold is a named `k_...` constant (mitata's habit) so that a
 * results page can say exactly which rule flagged a run.
 */

import { createRng, randomInt } from '../util/random';

declare const sortedSamplesBrand: unique symbol;

/**
 * Finite numbers in ascending order, at least one of them. Only
 * `sortSamples` makes values of this type, so a function that takes
 * `SortedSamples` never has to re-check or re-sort.
 */
export type SortedSamples = readonly number[] & { readonly [sortedSamplesBrand]: true };

/**
 * Copies, validates and sorts samples. The input is left untouched (raw
 * samples keep their run order in the results file) and nothing is dropped.
 * The returned array is frozen.
 *
 * @throws RangeError on an empty input or on any value that is not a finite
 *   number, naming the first bad index and value.
 */
export function sortSamples(xs: readonly number[]): SortedSamples {
  if (xs.length === 0) {
    throw new RangeError('sortSamples: need at least one sample, got an empty array');
  }
  const copy = Array.from(xs);
  for (let i = 0; i < copy.length; i++) {
    const x = copy[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new RangeError(
        `sortSamples: every sample must be a finite number, got ${String(x)} at index ${i}`,
      );
    }
  }
  copy.sort((a, b) => a - b);
  return Object.freeze(copy) as unknown as SortedSamples;
}

/** Reads `sorted[i]`, which the caller guarantees is in range. */
function at(sorted: readonly number[], i: number): number {
  const x = sorted[i];
  if (x === undefined) {
    throw new RangeError(`statistics: index ${i} out of range [0, ${sorted.length - 1}]`);
  }
  return x;
}

/**
 * The q-quantile with linear interpolation between order statistics:
 * Hyndman & Fan's type 7, the default of R's `quantile()`, numpy's
 * `np.quantile` (method 'linear') and Excel's PERCENTILE.INC.
 *
 * With n sorted values x[0..n-1], h = (n - 1)·q and
 * Q(q) = x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]).
 * So Q(0) is the minimum, Q(1) the maximum and Q(0.5) the usual median
 * (the mean of the two middle values when n is even). Type 7 is chosen
 * because it is what readers will reproduce in R or numpy.
 *
 * @throws RangeError when `q` is outside [0, 1].
 */
export function quantile(sorted: SortedSamples, q: number): number {
  if (!(q >= 0 && q <= 1)) {
    throw new RangeError(`quantile: q must be in [0, 1], got ${String(q)}`);
  }
  return quantileOfSorted(sorted, q);
}

/** Type-7 quantile on any ascending array; no validation. */
function quantileOfSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  const low = at(sorted, lo);
  // Skip interpolation when it cannot change the value; this also keeps an
  // infinite neighbour (possible in bootstrap ratios) from producing NaN.
  if (frac === 0) return low;
  const high = at(sorted, lo + 1);
  if (high === low) return low;
  return low + frac * (high - low);
}

// ---------------------------------------------------------------------------
// Student's t critical values
// ---------------------------------------------------------------------------

/**
 * Two-sided 95% critical values of Student's t, t(0.975, df), for df = 1..30
 * (index df - 1). Values from scipy.stats.t.ppf(0.975, df), rounded to 7
 * decimals. Small samples are exactly where the normal 1.96 would understate
 * the margin of error (df = 4 needs 2.776), so these are tabulated exactly.
 */
const k_t975_table: readonly number[] = Object.freeze([
  12.7062047, 4.3026527, 3.1824463, 2.7764451, 2.5705818, 2.4469119, 2.3646243, 2.3060041,
  2.2621572, 2.2281389, 2.2009852, 2.1788128, 2.1603687, 2.1447867, 2.1314495, 2.1199053,
  2.1098156, 2.100922, 2.0930241, 2.0859634, 2.0796138, 2.0738731, 2.0686576, 2.0638986,
  2.0595386, 2.0555294, 2.0518305, 2.0484071, 2.0452296, 2.0422725,
]);

/** z(0.975) of the standard normal, the limit of t(0.975, df) as df → ∞. */
export const k_z975 = 1.959963984540054;

/**
 * t(0.975, df): the two-sided 95% critical value of Student's t.
 *
 * df ≤ 30 reads the exact table. Beyond it, Fisher's (Cornish–Fisher)
 * expansion of t in powers of 1/df around z = 1.95996 is used, four terms:
 * t ≈ z + g1/df + g2/df² + g3/df³ + g4/df⁴ (Abramowitz & Stegun 26.7.5).
 * Against scipy the error is below 4e-8 at df = 30 and shrinks fast, far
 * below anything a timing could resolve.
 *
 * @throws RangeError when df is not a positive integer.
 */
export function tCritical975(df: number): number {
  if (!Number.isInteger(df) || df < 1) {
    throw new RangeError(`tCritical975: df must be a positive integer, got ${String(df)}`);
  }
  const tabulated = k_t975_table[df - 1];
  if (tabulated !== undefined) return tabulated;
  const z = k_z975;
  const z2 = z * z;
  const z3 = z2 * z;
  const z5 = z3 * z2;
  const z7 = z5 * z2;
  const z9 = z7 * z2;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

// ---------------------------------------------------------------------------
// Median interval (distribution-free)
// ---------------------------------------------------------------------------

/** Confidence level of the median interval. */
export const k_median_ci_confidence = 0.95;

/**
 * Smallest n for which an order-statistic interval can reach 95% coverage:
 * [min, max] covers the median with probability 1 - 2·0.5^n, which is
 * 93.75% at n = 5 and 96.9% at n = 6. Below this n the interval falls back
 * to [min, max] and its true coverage is lower than 95%.
 */
export const k_median_ci_min_n = 6;

/**
 * 1-based rank l of the lower order statistic of the distribution-free 95%
 * interval for the median: the largest l with P(B ≤ l - 1) ≤ 0.025, where
 * B ~ Binomial(n, 1/2) counts samples below the true median. The interval
 * [x(l), x(n+1-l)] then covers the median with probability
 * 1 - 2·P(B ≤ l - 1) ≥ 95% whatever the distribution (Conover, Practical
 * Nonparametric Statistics, §3.2). Returns 1 (i.e. [min, max]) for
 * n < k_median_ci_min_n, where no rank reaches 95%.
 *
 * The binomial terms are built in log space, so the loop works for any n
 * without 0.5^n underflowing; its cost is O(n), less than the sort.
 */
export function medianCiLowerRank(n: number): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`medianCiLowerRank: n must be a positive integer, got ${String(n)}`);
  }
  if (n < k_median_ci_min_n) return 1;
  const alphaHalf = (1 - k_median_ci_confidence) / 2;
  let logPmf = n * Math.log(0.5); // log P(B = 0)
  let cdf = 0; // P(B ≤ k)
  // Find the largest k with P(B ≤ k) ≤ alphaHalf; then l = k + 1.
  for (let k = 0; k < n; k++) {
    cdf += Math.exp(logPmf);
    // Tolerance so that cdfs that equal alphaHalf in exact arithmetic count.
    if (cdf > alphaHalf * (1 + 1e-12)) return Math.max(1, k);
    logPmf += Math.log(n - k) - Math.log(k + 1);
  }
  return 1; // unreachable: the cdf reaches 1
}

// ---------------------------------------------------------------------------
// Noise rule
// ---------------------------------------------------------------------------

/**
 * A run is noisy when its 95% margin of error on the mean exceeds this
 * percentage of the mean: a "±10%" mean cannot rank engines that differ by
 * less than that.
 */
export const k_noisy_rme_percent = 10;

/**
 * A run is noisy when p99 exceeds this multiple of p50: long tails (GC
 * pauses, GPU contention, thermal throttling, another tab) that the mean's
 * margin of error can hide when most samples are tight.
 */
export const k_noisy_tail_ratio = 2;

/** Why a run was flagged noisy; empty when it was not. */
export type NoiseReason =
  /** rme > k_noisy_rme_percent. */
  | 'high-rme'
  /** p99 / p50 > k_noisy_tail_ratio (or p50 is 0 while p99 is not). */
  | 'long-tail'
  /** n < k_median_ci_min_n: too few samples to bound the median at 95%. */
  | 'too-few-samples';

/** Summary of one sample set. Times are in the samples' unit (ms here). */
export type Statistics = {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Sample standard deviation (divisor n - 1); 0 when n = 1. */
  readonly sd: number;
  /** Standard error of the mean, sd / √n; 0 when n = 1. */
  readonly sem: number;
  /** Half-width of the 95% t interval for the mean, t(0.975, n-1)·sem; 0 when n = 1. */
  readonly moe95: number;
  /** moe95 as a percentage of |mean|; 0 when moe95 is 0, Infinity when only the mean is 0. */
  readonly rme: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  /** Median absolute deviation from the median, unscaled (×1.4826 estimates σ for normal data). */
  readonly mad: number;
  /** Distribution-free 95% interval for the median (order statistics; [min, max] when n < 6). */
  readonly medianCi95: { readonly low: number; readonly high: number };
  /** True when any noise rule fired; `noiseReasons` says which. */
  readonly noisy: boolean;
  readonly noiseReasons: readonly NoiseReason[];
};

/**
 * Summarises sorted samples. Nothing is trimmed: outliers are real latency
 * that a user would feel, and the percentiles and the median interval are
 * already robust to them.
 *
 * With one sample the spread is unknown; sd, sem, moe95 and rme are
 * reported as 0 (JSON cannot hold NaN) and the run is flagged
 * 'too-few-samples', which is the signal to trust.
 */
export function computeStatistics(sorted: SortedSamples): Statistics {
  const n = sorted.length;
  const min = at(sorted, 0);
  const max = at(sorted, n - 1);

  let sum = 0;
  for (const x of sorted) sum += x;
  const mean = sum / n;

  // Two-pass variance: stable for latency data whose spread is tiny
  // compared with its mean.
  let squares = 0;
  for (const x of sorted) squares += (x - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const sem = sd / Math.sqrt(n);
  const moe95 = n > 1 ? tCritical975(n - 1) * sem : 0;
  const rme = moe95 === 0 ? 0 : mean === 0 ? Number.POSITIVE_INFINITY : (moe95 / Math.abs(mean)) * 100;

  const p50 = quantileOfSorted(sorted, 0.5);
  const p75 = quantileOfSorted(sorted, 0.75);
  const p90 = quantileOfSorted(sorted, 0.9);
  const p95 = quantileOfSorted(sorted, 0.95);
  const p99 = quantileOfSorted(sorted, 0.99);

  const deviations = sorted.map((x) => Math.abs(x - p50)).sort((a, b) => a - b);
  const mad = quantileOfSorted(deviations, 0.5);

  const l = medianCiLowerRank(n);
  const medianCi95 = { low: at(sorted, l - 1), high: at(sorted, n - l) };

  const noiseReasons: NoiseReason[] = [];
  if (rme > k_noisy_rme_percent) noiseReasons.push('high-rme');
  if (p50 === 0 ? p99 > 0 : p99 / p50 > k_noisy_tail_ratio) noiseReasons.push('long-tail');
  if (n < k_median_ci_min_n) noiseReasons.push('too-few-samples');

  return {
    n,
    min,
    max,
    mean,
    sd,
    sem,
    moe95,
    rme,
    p50,
    p75,
    p90,
    p95,
    p99,
    mad,
    medianCi95,
    noisy: noiseReasons.length > 0,
    noiseReasons,
  };
}

// ---------------------------------------------------------------------------
// Bootstrap interval for a ratio of medians
// ---------------------------------------------------------------------------

export type BootstrapOptions = {
  /** Number of resamples; 2000 or more gives stable 95% percentile bounds. */
  readonly iterations: number;
  /** Seed for `createRng`, stored with the result so the interval can be recomputed. */
  readonly seed: number;
  /** Two-sided confidence level in (0, 1), e.g. 0.95. */
  readonly confidence: number;
};

export type RatioCi = {
  /** median(candidate) / median(baseline) on the full samples; > 1 means slower. */
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
};

/**
 * Percentile-bootstrap interval for median(candidate) / median(baseline),
 * for baseline-regression checks ("is this cell slower than last week's?").
 *
 * Each iteration resamples both sets with replacement (each to its own
 * size), takes the type-7 median of each and records their ratio; the
 * interval is the (1-c)/2 and (1+c)/2 type-7 quantiles of those ratios.
 * Medians rather than means, because latency tails would otherwise decide
 * the verdict. Deterministic for a given seed: baseline draws then
 * candidate draws, per iteration, from one `createRng(seed)` stream.
 *
 * A resample median is read from per-index counts over the already-sorted
 * data, so each iteration costs O(n) rather than a sort.
 *
 * If the baseline holds zeros (a coarse timer), a resampled baseline median
 * can be 0 and `high` can be Infinity: the data cannot bound the ratio.
 *
 * @throws RangeError on empty or non-finite samples, a baseline median that
 *   is not positive, iterations that are not a positive integer, or a
 *   confidence outside (0, 1).
 */
export function bootstrapRatioOfMediansCi(
  baseline: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions,
): RatioCi {
  const { iterations, seed, confidence } = options;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(
      `bootstrapRatioOfMediansCi: iterations must be a positive integer, got ${String(iterations)}`,
    );
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `bootstrapRatioOfMediansCi: confidence must be in (0, 1), got ${String(confidence)}`,
    );
  }
  const base = sortSamples(baseline);
  const cand = sortSamples(candidate);
  const baseMedian = quantileOfSorted(base, 0.5);
  if (!(baseMedian > 0)) {
    throw new RangeError(
      `bootstrapRatioOfMediansCi: the baseline median must be positive to form a ratio, got ${baseMedian}`,
    );
  }
  const ratio = quantileOfSorted(cand, 0.5) / baseMedian;

  const rng = createRng(seed);
  const baseCounts = new Uint32Array(base.length);
  const candCounts = new Uint32Array(cand.length);
  const ratios = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const b = resampledMedian(base, baseCounts, rng);
    const c = resampledMedian(cand, candCounts, rng);
    // A zero baseline median (only possible with zeros in the data) leaves
    // the ratio unbounded; Infinity also avoids 0/0 = NaN, which would not sort.
    ratios[i] = b === 0 ? Number.POSITIVE_INFINITY : c / b;
  }
  ratios.sort();
  const sortedRatios = Array.from(ratios);
  const tail = (1 - confidence) / 2;
  return {
    ratio,
    low: quantileOfSorted(sortedRatios, tail),
    high: quantileOfSorted(sortedRatios, 1 - tail),
  };
}

/**
 * Type-7 median of a with-replacement resample of `sorted` (same size).
 * Draws n indices into `counts`, then walks the counts: because `sorted` is
 * ascending, the k-th smallest resampled value is sorted[i] for the first i
 * whose cumulative count exceeds k.
 */
function resampledMedian(sorted: readonly number[], counts: Uint32Array, rng: () => number): number {
  const n = sorted.length;
  counts.fill(0);
  for (let j = 0; j < n; j++) {
    const idx = randomInt(rng, n);
    counts[idx] = (counts[idx] ?? 0) + 1;
  }
  // Ranks (0-based) of the middle order statistics.
  const loRank = Math.floor((n - 1) / 2);
  const hiRank = Math.ceil((n - 1) / 2);
  let seen = 0;
  let lo: number | undefined;
  for (let i = 0; i < n; i++) {
    seen += counts[i] ?? 0;
    if (lo === undefined && seen > loRank) lo = at(sorted, i);
    if (seen > hiRank) {
      const hi = at(sorted, i);
      const low = lo ?? hi;
      return low === hi ? low : (low + hi) / 2;
    }
  }
  throw new RangeError('resampledMedian: counts did not sum to n'); // unreachable
}
