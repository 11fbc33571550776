/**
 * Agreement of a cell's outputs with the reference's (FP32 on the most exact
 * engine): top-1 flips and |Δp| for classifiers, PSNR for image outputs.
 *
 * Two steps, so that slices and bootstrap resamples cost O(rows) each:
 * `compareRows` reads both output arrays once into per-row flags and
 * distances; the summaries then aggregate any set of row indices.
 *
 * Definitions, per row r with reference probabilities p and candidate q:
 * - flip(r) = 1 when argmax p ≠ argmax q (ties to the lowest class);
 * - |Δp|(r) = max over classes c of |p_c − q_c| (the largest probability
 *   change any class sees: 0.2 means some class moved by 20 points);
 * - a row where p or q holds NaN or ±Infinity is "non-finite": it counts as
 *   a flip (the candidate cannot be said to agree), is counted in
 *   `nonFiniteRows`, and is left out of mean and max |Δp| so those stay
 *   finite numbers that JSON can hold.
 */

import { rowCount, topClass } from './probabilities';
import type { Numbers } from './probabilities';
import { checkRowIndices, rowIndices } from './row-indices';
import type { AgreementSummary, PsnrSummary } from './types';

/** Per-row agreement of a candidate with the reference. */
export interface RowAgreement {
  readonly rows: number;
  /** 1 when the top-1 class differs (or the row is non-finite), else 0. */
  readonly flips: Uint8Array;
  /** Max over classes of |Δp|; 0 for non-finite rows (see `nonFinite`). */
  readonly absDp: Float64Array;
  /** 1 when either side of the row holds NaN or ±Infinity. */
  readonly nonFinite: Uint8Array;
}

/**
 * Compares a candidate's probabilities with the reference's, row by row.
 *
 * @param reference rows × classes, row-major (e.g. the FP32 reference cell).
 * @param candidate same shape.
 * @param classes outputs per row (1 for a single sigmoid output).
 * @throws RangeError when the shapes differ or are not whole rows.
 */
export function compareRows(reference: Numbers, candidate: Numbers, classes: number): RowAgreement {
  const rows = rowCount('compareRows (reference)', reference, classes);
  rowCount('compareRows (candidate)', candidate, classes);
  if (candidate.length !== reference.length) {
    throw new RangeError(
      `compareRows: candidate has ${candidate.length} values, reference has ${reference.length}`,
    );
  }
  const flips = new Uint8Array(rows);
  const absDp = new Float64Array(rows);
  const nonFinite = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let maxDiff = 0;
    let finite = true;
    for (let c = 0; c < classes; c++) {
      const p = reference[r * classes + c] ?? Number.NaN;
      const q = candidate[r * classes + c] ?? Number.NaN;
      if (!Number.isFinite(p) || !Number.isFinite(q)) {
        finite = false;
        break;
      }
      const d = Math.abs(p - q);
      if (d > maxDiff) maxDiff = d;
    }
    if (!finite) {
      nonFinite[r] = 1;
      flips[r] = 1;
      continue;
    }
    absDp[r] = maxDiff;
    flips[r] = topClass(reference, r, classes) === topClass(candidate, r, classes) ? 0 : 1;
  }
  return { rows, flips, absDp, nonFinite };
}

/**
 * Flip rate over `indices` (a multiset: repeated indices count again, as a
 * bootstrap resample needs). No validation, for use inside bootstraps.
 */
export function flipRate(agreement: RowAgreement, indices: Uint32Array): number {
  const { flips: isFlip } = agreement;
  let flips = 0;
  for (let k = 0; k < indices.length; k++) flips += isFlip[indices[k] ?? 0] ?? 0;
  return flips / indices.length;
}

/** Mean |Δp| over the finite rows among `indices` (0 when none). No validation. */
export function meanAbsDp(agreement: RowAgreement, indices: Uint32Array): number {
  const { nonFinite, absDp } = agreement;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] ?? 0;
    if (nonFinite[i] === 1) continue;
    sum += absDp[i] ?? 0;
    count += 1;
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * Flip rate, mean and max |Δp| over `indices` (default: every row).
 * @throws RangeError on no rows or an index out of range.
 */
export function summarizeAgreement(agreement: RowAgreement, indices?: Uint32Array): AgreementSummary {
  const rows = indices ?? rowIndices(agreement.rows);
  checkRowIndices('summarizeAgreement', rows, agreement.rows);
  let flips = 0;
  let nonFiniteRows = 0;
  let sum = 0;
  let max = 0;
  for (const i of rows) {
    flips += agreement.flips[i] ?? 0;
    if (agreement.nonFinite[i] === 1) {
      nonFiniteRows += 1;
      continue;
    }
    const d = agreement.absDp[i] ?? 0;
    sum += d;
    if (d > max) max = d;
  }
  const finiteRows = rows.length - nonFiniteRows;
  return {
    n: rows.length,
    flips,
    flipRate: flips / rows.length,
    meanAbsDp: finiteRows === 0 ? 0 : sum / finiteRows,
    maxAbsDp: max,
    nonFiniteRows,
  };
}

// ---------------------------------------------------------------------------
// PSNR (image-to-image models)
// ---------------------------------------------------------------------------

/**
 * Peak signal-to-noise ratio in dB: 10·log10(peak² / MSE), with MSE the mean
 * of (reference − candidate)² over all values.
 *
 * Returns +Infinity when the arrays are equal (MSE = 0): the honest answer,
 * which `summarizePsnr` counts apart instead of averaging. A NaN anywhere
 * gives NaN.
 *
 * @param peak the largest possible value, e.g. 1 for images in [0, 1] or 255.
 * @throws RangeError on empty or unequal lengths or a peak that is not positive.
 */
export function psnr(reference: Numbers, candidate: Numbers, peak: number): number {
  return psnrRange('psnr', reference, candidate, 0, reference.length, peak);
}

function checkPeak(what: string, peak: number): void {
  if (!(peak > 0 && Number.isFinite(peak))) {
    throw new RangeError(`${what}: peak must be a positive finite number, got ${String(peak)}`);
  }
}

function psnrRange(what: string, a: Numbers, b: Numbers, start: number, length: number, peak: number): number {
  checkPeak(what, peak);
  if (a.length !== b.length) {
    throw new RangeError(`${what}: candidate has ${b.length} values, reference has ${a.length}`);
  }
  if (length === 0) throw new RangeError(`${what}: need at least one value`);
  let squares = 0;
  for (let i = start; i < start + length; i++) {
    const d = (a[i] ?? Number.NaN) - (b[i] ?? Number.NaN);
    squares += d * d;
  }
  const mse = squares / length;
  if (Number.isNaN(mse)) return Number.NaN;
  if (mse === 0) return Number.POSITIVE_INFINITY;
  return 10 * Math.log10((peak * peak) / mse);
}

/**
 * PSNR of each image in a batch (images × valuesPerImage, flattened).
 * Same conventions as `psnr` (+Infinity for an identical image).
 */
export function psnrPerImage(
  reference: Numbers,
  candidate: Numbers,
  valuesPerImage: number,
  peak: number,
): Float64Array {
  const images = rowCount('psnrPerImage', reference, valuesPerImage);
  if (candidate.length !== reference.length) {
    throw new RangeError(
      `psnrPerImage: candidate has ${candidate.length} values, reference has ${reference.length}`,
    );
  }
  const out = new Float64Array(images);
  for (let i = 0; i < images; i++) {
    out[i] = psnrRange('psnrPerImage', reference, candidate, i * valuesPerImage, valuesPerImage, peak);
  }
  return out;
}

/**
 * Mean and minimum PSNR over images (default: all of them).
 *
 * Identical images (PSNR = +∞) are counted in `identical` and kept out of
 * the mean, which is therefore the mean over images that changed at all:
 * a pessimistic figure, read together with `identical`. An arithmetic mean
 * of dB values is what most papers report as "mean PSNR".
 *
 * @throws RangeError on no images, an index out of range, or a NaN PSNR
 *   (a NaN output is a wrong result, to be reported before this point).
 */
export function summarizePsnr(values: Numbers, indices?: Uint32Array): PsnrSummary {
  const rows = indices ?? rowIndices(values.length);
  checkRowIndices('summarizePsnr', rows, values.length);
  let identical = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const i of rows) {
    const v = values[i] ?? Number.NaN;
    if (Number.isNaN(v) || v === Number.NEGATIVE_INFINITY) {
      throw new RangeError(`summarizePsnr: image ${i} has PSNR ${String(v)}`);
    }
    if (v === Number.POSITIVE_INFINITY) {
      identical += 1;
      continue;
    }
    sum += v;
    if (v < min) min = v;
  }
  const changed = rows.length - identical;
  return {
    n: rows.length,
    identical,
    meanDb: changed === 0 ? null : sum / changed,
    minDb: changed === 0 ? null : min,
  };
}
