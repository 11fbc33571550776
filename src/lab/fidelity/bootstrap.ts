/**
 * Seeded percentile-bootstrap intervals for statistics over rows.
 *
 * A statistic is any function of a multiset of row indices (accuracy, ECE,
 * flip rate, mean |Δp|, the gap between slices...). Each iteration resamples
 * the rows with replacement, to the original size, and evaluates the
 * statistic; the interval is the (1−c)/2 and (1+c)/2 type-7 quantiles of
 * those replicates (the same quantile as `bench/statistics.ts`, which is what
 * R's `quantile()` and numpy reproduce).
 *
 * Deterministic: one `createRng(seed)` stream, drawn in a fixed order, so the
 * same data, statistic and options give the same interval on every device.
 * Intervals for different metrics of one slice that use the same seed see the
 * same resamples, which keeps them consistent with each other.
 *
 * Cost: iterations × (n draws + one statistic evaluation). The index buffer is
 * allocated once and reused, so 1000 iterations over 5000 rows take tens of
 * milliseconds with an O(n) statistic.
 */

import { quantile, sortSamples } from '../bench/statistics';
import { createRng } from '../util/random';
import type { Rng } from '../util/random';
import { rowIndices } from './row-indices';
import type { ConfidenceInterval } from './types';

export interface BootstrapOptions {
  /** Number of resamples; 1000 is enough for a 95% interval's second digit, 2000+ for stable tails. */
  readonly iterations: number;
  /** Seed for `createRng`, stored with the result so the interval can be recomputed. */
  readonly seed: number;
  /** Two-sided confidence level in (0, 1), e.g. 0.95. */
  readonly confidence: number;
}

/** Defaults for fidelity intervals: 1000 resamples, seed 1988, 95%. */
export const k_default_bootstrap: BootstrapOptions = Object.freeze({
  iterations: 1000,
  seed: 1988,
  confidence: 0.95,
});

/**
 * A statistic over a multiset of row indices. The array it receives is a
 * buffer the bootstrap reuses: read it, never keep it. It must return a
 * finite number (a replicate that is NaN or infinite cannot be ordered, so
 * the bootstrap throws).
 */
export type IndexStatistic = (indices: Uint32Array) => number;

/** A statistic over one resampled index set per stratum (same order as the strata). */
export type StratifiedStatistic = (strata: readonly Uint32Array[]) => number;

function checkOptions(caller: string, options: BootstrapOptions): void {
  const { iterations, seed, confidence } = options;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`${caller}: iterations must be a positive integer, got ${String(iterations)}`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`${caller}: seed must be a safe integer, got ${String(seed)}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${caller}: confidence must be in (0, 1), got ${String(confidence)}`);
  }
}

/**
 * Fills `target` with `source.length` draws from `source`, with replacement.
 * Each draw is `randomInt(rng, n)`'s formula, floor(rng()·n), written out:
 * the same values, but without re-validating n on each of the millions of
 * calls, which halves the cost of a bootstrap.
 */
function resampleInto(target: Uint32Array, source: Uint32Array, rng: Rng): void {
  const n = source.length;
  for (let j = 0; j < n; j++) target[j] = source[Math.floor(rng() * n)] ?? 0;
}

function checkedValue(caller: string, value: number, iteration: number | null): number {
  if (!Number.isFinite(value)) {
    const where = iteration === null ? 'on the observed rows' : `on resample ${iteration}`;
    throw new RangeError(`${caller}: the statistic must return a finite number, got ${String(value)} ${where}`);
  }
  return value;
}

function percentileInterval(estimate: number, replicates: Float64Array, confidence: number): ConfidenceInterval {
  const sorted = sortSamples(Array.from(replicates));
  const tail = (1 - confidence) / 2;
  return { estimate, low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) };
}

/**
 * Percentile-bootstrap interval for `statistic` over rows.
 *
 * @param rows either a count n (rows 0..n−1) or the row indices of a slice;
 *   resampled indices are always drawn from these, so a per-slice statistic
 *   receives real row indices.
 * @returns the statistic on the rows as given (`estimate`) and the interval.
 *   With a statistic that is constant over resamples, low = high = estimate.
 * @throws RangeError on no rows, invalid options, or a non-finite statistic.
 */
export function bootstrapCi(
  rows: number | Uint32Array,
  statistic: IndexStatistic,
  options: BootstrapOptions,
): ConfidenceInterval {
  return bootstrapCis(rows, { value: statistic }, options).value;
}

/**
 * Intervals for several statistics from the same resamples: each iteration
 * draws once and evaluates every statistic on that draw. The result for each
 * statistic is identical to its own `bootstrapCi` call with the same seed
 * (same rows, same draws), at a fraction of the cost.
 *
 * @throws RangeError on no rows, invalid options, or a non-finite statistic
 *   (the message names it).
 */
export function bootstrapCis<K extends string>(
  rows: number | Uint32Array,
  statistics: Readonly<Record<K, IndexStatistic>>,
  options: BootstrapOptions,
): Record<K, ConfidenceInterval> {
  const caller = 'bootstrapCi';
  checkOptions(caller, options);
  const source = typeof rows === 'number' ? identityChecked(caller, rows) : rows;
  if (source.length === 0) throw new RangeError(`${caller}: need at least one row`);
  const names = Object.keys(statistics) as K[];
  const fns = names.map((name) => statistics[name]);

  const observed = source.slice();
  const estimates = fns.map((f, k) => checkedValue(`${caller} (${names[k] ?? ''})`, f(observed), null));
  const rng = createRng(options.seed);
  const buffer = new Uint32Array(source.length);
  const replicates = fns.map(() => new Float64Array(options.iterations));
  for (let i = 0; i < options.iterations; i++) {
    resampleInto(buffer, source, rng);
    fns.forEach((f, k) => {
      const out = replicates[k];
      if (out !== undefined) out[i] = checkedValue(`${caller} (${names[k] ?? ''})`, f(buffer), i);
    });
  }
  const result = {} as Record<K, ConfidenceInterval>;
  names.forEach((name, k) => {
    result[name] = percentileInterval(estimates[k] ?? 0, replicates[k] ?? new Float64Array(0), options.confidence);
  });
  return result;
}

function identityChecked(caller: string, n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${caller}: rows must be a non-negative integer, got ${String(n)}`);
  }
  return rowIndices(n);
}

/**
 * Stratified percentile bootstrap: each iteration resamples every stratum
 * within itself (to its own size) and evaluates `statistic` on the resampled
 * strata. Used for statistics that compare slices, such as the gap between
 * the best and worst slice, so that every resample keeps each slice's size.
 *
 * Draw order: iteration by iteration, stratum by stratum, from one stream.
 *
 * @throws RangeError on no strata, an empty stratum, invalid options, or a
 *   non-finite statistic.
 */
export function bootstrapStratifiedCi(
  strata: readonly Uint32Array[],
  statistic: StratifiedStatistic,
  options: BootstrapOptions,
): ConfidenceInterval {
  return bootstrapStratifiedCis(strata, { value: statistic }, options).value;
}

/** Several stratified statistics from the same resamples (see `bootstrapCis`). */
export function bootstrapStratifiedCis<K extends string>(
  strata: readonly Uint32Array[],
  statistics: Readonly<Record<K, StratifiedStatistic>>,
  options: BootstrapOptions,
): Record<K, ConfidenceInterval> {
  const caller = 'bootstrapStratifiedCi';
  checkOptions(caller, options);
  if (strata.length === 0) throw new RangeError(`${caller}: need at least one stratum`);
  strata.forEach((s, i) => {
    if (s.length === 0) throw new RangeError(`${caller}: stratum ${i} is empty`);
  });
  const names = Object.keys(statistics) as K[];
  const fns = names.map((name) => statistics[name]);

  const observed = strata.map((s) => s.slice());
  const estimates = fns.map((f, k) => checkedValue(`${caller} (${names[k] ?? ''})`, f(observed), null));
  const rng = createRng(options.seed);
  const buffers = strata.map((s) => new Uint32Array(s.length));
  const replicates = fns.map(() => new Float64Array(options.iterations));
  for (let i = 0; i < options.iterations; i++) {
    strata.forEach((s, k) => {
      const buffer = buffers[k];
      if (buffer !== undefined) resampleInto(buffer, s, rng);
    });
    fns.forEach((f, k) => {
      const out = replicates[k];
      if (out !== undefined) out[i] = checkedValue(`${caller} (${names[k] ?? ''})`, f(buffers), i);
    });
  }
  const result = {} as Record<K, ConfidenceInterval>;
  names.forEach((name, k) => {
    result[name] = percentileInterval(estimates[k] ?? 0, replicates[k] ?? new Float64Array(0), options.confidence);
  });
  return result;
}
