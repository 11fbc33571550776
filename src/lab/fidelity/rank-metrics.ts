/**
 * Comparing two vectors of importances: Spearman rank correlation, Pearson
 * correlation and top-k overlap.
 *
 * Degenerate vectors, decided once here so every caller reports the same:
 * a correlation is undefined (0/0) when a vector has no spread. Returning NaN
 * would break JSON and every mean over examples, so:
 * - both vectors constant → 1: the two rankings (everything tied) are the
 *   same, so there is no disagreement to report;
 * - exactly one constant → 0: one side ranks features and the other does
 *   not, so there is no evidence of agreement.
 * A single-element pair is "both constant" and gives 1. Non-finite inputs
 * are rejected: a NaN importance comes from a wrong output, which the cell
 * must report as such.
 */

import type { Numbers } from './probabilities';

function checkPair(what: string, a: Numbers, b: Numbers): number {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: vectors differ in length (${a.length} and ${b.length})`);
  }
  if (a.length === 0) throw new RangeError(`${what}: need at least one value`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? Number.NaN;
    const y = b[i] ?? Number.NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new RangeError(`${what}: values must be finite, got ${String(x)} and ${String(y)} at index ${i}`);
    }
  }
  return a.length;
}

/**
 * 1-based ranks, ascending, with tied values sharing the mean of the ranks
 * they span ("fractional" ranking, as scipy.stats.rankdata's default):
 * [10, 20, 20, 30] → [1, 2.5, 2.5, 4].
 */
export function averageRanks(values: Numbers): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => (values[i] ?? 0) - (values[j] ?? 0) || i - j);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    const v = values[order[start] ?? 0] ?? 0;
    let end = start + 1;
    while (end < n && (values[order[end] ?? 0] ?? 0) === v) end += 1;
    // Positions start..end-1 hold ranks start+1..end; their mean:
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] ?? 0] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson correlation without validation; degenerate cases as in the file comment. */
function pearsonUnchecked(a: Numbers, b: Numbers): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i] ?? 0;
    meanB += b[i] ?? 0;
  }
  meanA /= n;
  meanB /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - meanA;
    const db = (b[i] ?? 0) - meanB;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 && sbb === 0) return 1;
  if (saa === 0 || sbb === 0) return 0;
  const r = sab / Math.sqrt(saa * sbb);
  // Rounding can put |r| a hair above 1; a correlation never is.
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/**
 * Pearson correlation of two equal-length vectors (two-pass, for accuracy
 * on values with a large common offset). Used for occlusion maps.
 *
 * @throws RangeError on empty, unequal or non-finite input.
 */
export function pearson(a: Numbers, b: Numbers): number {
  checkPair('pearson', a, b);
  return pearsonUnchecked(a, b);
}

/**
 * Spearman rank correlation: the Pearson correlation of the average ranks,
 * which stays exact with ties (the 1 − 6Σd²/(n(n²−1)) shortcut does not).
 *
 * @throws RangeError on empty, unequal or non-finite input.
 */
export function spearman(a: Numbers, b: Numbers): number {
  checkPair('spearman', a, b);
  return pearsonUnchecked(averageRanks(a), averageRanks(b));
}

/**
 * Indices of the k largest |values|, largest first; ties go to the lower
 * index so the choice is deterministic. k is clamped to the length.
 *
 * @throws RangeError when k is not a positive integer.
 */
export function topKByMagnitude(values: Numbers, k: number): number[] {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`topKByMagnitude: k must be a positive integer, got ${String(k)}`);
  }
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((i, j) => Math.abs(values[j] ?? 0) - Math.abs(values[i] ?? 0) || i - j);
  return order.slice(0, Math.min(k, values.length));
}

/**
 * |topk(a) ∩ topk(b)| / k, with top-k by absolute value (importance, whatever
 * the sign). 1 when both vectors name the same k most important features.
 * k is clamped to the vectors' length (so the overlap of two full sets is 1).
 * Ties at the k-th place go to the lower index on both sides, so two
 * identical vectors always overlap fully.
 *
 * @throws RangeError on empty, unequal or non-finite input, or a bad k.
 */
export function topKOverlap(a: Numbers, b: Numbers, k: number): number {
  const n = checkPair('topKOverlap', a, b);
  const topA = topKByMagnitude(a, k);
  const inB = new Uint8Array(n);
  for (const i of topKByMagnitude(b, k)) inB[i] = 1;
  let shared = 0;
  for (const i of topA) shared += inB[i] ?? 0;
  return shared / topA.length;
}
