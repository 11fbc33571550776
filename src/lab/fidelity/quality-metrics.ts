/**
 * Quality on labelled data, per slice: accuracy, positive rate, calibration
 * (ECE and the reliability diagram), and the gap between slices.
 *
 * As in agreement-metrics.ts, `scoreRows` reads the probabilities once into
 * per-row predictions, confidences and correctness; every metric then runs in
 * O(indices) over any slice or bootstrap resample (indices are a multiset).
 *
 * Expected calibration error, exactly:
 *   conf(r)  = top-1 probability of row r;  correct(r) = [top-1 class = label]
 *   bin(r)   = min(B − 1, ⌊conf(r)·B⌋)      (B equal-width bins on [0, 1];
 *              bin b covers [b/B, (b+1)/B), the last one also includes 1)
 *   ECE      = Σ_b (n_b / N) · |acc_b − conf_b|
 * where n_b is the number of rows in bin b, N the total, acc_b the mean of
 * correct(r) and conf_b the mean of conf(r) over the bin; empty bins add 0.
 * This is Guo et al. (2017)'s definition with B = 10 by default. ⌊conf·B⌋ is
 * computed in floating point on the float32 confidence, so a confidence that
 * prints as a bin edge (0.7) can fall either side of it (0.7f is 0.69999999).
 */

import { bootstrapStratifiedCis } from './bootstrap';
import type { BootstrapOptions } from './bootstrap';
import { rowCount, topClass, topProbability } from './probabilities';
import type { Numbers } from './probabilities';
import { checkRowIndices, rowIndices } from './row-indices';
import type { SliceGroup } from './slices';
import type { Calibration, ConfidenceInterval, ReliabilityBin, SliceGap, SliceMetricName, SliceValue } from './types';

/** Default number of equal-width confidence bins for ECE (Guo et al. 2017). */
export const k_default_ece_bins = 10;

/**
 * Slices with fewer rows are shown but left out of best-vs-worst gaps: with
 * 30 rows an accuracy of 0.8 has a 95% interval about ±0.14 wide, already
 * wider than most gaps worth reporting; smaller slices would decide the gap
 * by noise alone.
 */
export const k_min_slice_size = 30;

/** Per-row predictions of a classifier on labelled rows. */
export interface RowQuality {
  readonly rows: number;
  /** Output width as given (1 for a single sigmoid output, which predicts classes 0 and 1). */
  readonly classes: number;
  readonly predicted: Uint32Array;
  /** Top-1 probability, in [0, 1] for probabilities. */
  readonly confidence: Float64Array;
  /** 1 when the predicted class equals the label. */
  readonly correct: Uint8Array;
  /** The label of each row: the basis of base rates and true/false-positive rates. */
  readonly labels: Uint32Array;
}

/**
 * Reads predictions, confidences and correctness from probabilities.
 *
 * @param probabilities rows × classes, row-major.
 * @param classes outputs per row; 1 for a single sigmoid output.
 * @param labels one integer class per row, in [0, max(classes, 2) − 1].
 * @throws RangeError on a shape mismatch, a label that is not a valid class,
 *   or a top-1 confidence that is not a finite number (a NaN output is a
 *   wrong result and must be reported as such, not calibrated).
 */
export function scoreRows(probabilities: Numbers, classes: number, labels: Numbers): RowQuality {
  const rows = rowCount('scoreRows', probabilities, classes);
  if (labels.length !== rows) {
    throw new RangeError(`scoreRows: ${labels.length} labels for ${rows} rows`);
  }
  const classCount = Math.max(classes, 2);
  const predicted = new Uint32Array(rows);
  const confidence = new Float64Array(rows);
  const correct = new Uint8Array(rows);
  const labelOf = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = labels[r] ?? Number.NaN;
    if (!Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new RangeError(
        `scoreRows: label ${String(label)} at row ${r} is not a class in [0, ${classCount - 1}]`,
      );
    }
    const top = topClass(probabilities, r, classes);
    const conf = topProbability(probabilities, r, classes);
    if (!Number.isFinite(conf)) {
      throw new RangeError(`scoreRows: row ${r} has a non-finite top-1 probability ${String(conf)}`);
    }
    predicted[r] = top;
    confidence[r] = conf;
    correct[r] = top === label ? 1 : 0;
    labelOf[r] = label;
  }
  return { rows, classes, predicted, confidence, correct, labels: labelOf };
}

/** Fraction of `indices` whose prediction is correct. No validation (bootstrap use). */
export function accuracy(quality: RowQuality, indices: Uint32Array): number {
  // Indexed loops in the per-resample metrics: a typed-array for…of is
  // measurably slower, and these run millions of times per report.
  const { correct: isCorrect } = quality;
  let correct = 0;
  for (let k = 0; k < indices.length; k++) correct += isCorrect[indices[k] ?? 0] ?? 0;
  return correct / indices.length;
}

/**
 * Fraction of `indices` predicted as `positiveClass` (default 1, the
 * positive class of a binary model). Comparing it between slices is the
 * demographic-parity view. No validation (bootstrap use).
 */
export function positiveRate(quality: RowQuality, indices: Uint32Array, positiveClass = 1): number {
  const { predicted } = quality;
  let positives = 0;
  for (let k = 0; k < indices.length; k++) if (predicted[indices[k] ?? 0] === positiveClass) positives += 1;
  return positives / indices.length;
}

/** Fraction of `indices` whose label is `positiveClass`: the slice's base rate, a property of the data, not the model. */
export function baseRate(quality: RowQuality, indices: Uint32Array, positiveClass = 1): number {
  const { labels } = quality;
  let positives = 0;
  for (let k = 0; k < indices.length; k++) if (labels[indices[k] ?? 0] === positiveClass) positives += 1;
  return positives / indices.length;
}

/**
 * The rows of `indices` whose label is (`positive` true) or is not
 * (`positive` false) `positiveClass`. The true-positive rate of a slice is
 * `positiveRate` over its positives, the false-positive rate `positiveRate`
 * over its negatives; resampling within these rows bootstraps either rate
 * with the slice's count of positives (or negatives) held fixed, so no
 * resample is left without a denominator.
 */
export function rowsWithLabel(quality: RowQuality, indices: Uint32Array, positive: boolean, positiveClass = 1): Uint32Array {
  const { labels } = quality;
  const out: number[] = [];
  for (const i of indices) if ((labels[i] === positiveClass) === positive) out.push(i);
  return Uint32Array.from(out);
}

/** Rate of each predicted class over `indices`, one entry per class (2 for a sigmoid). */
export function predictedClassRates(quality: RowQuality, indices: Uint32Array): number[] {
  const counts = new Array<number>(Math.max(quality.classes, 2)).fill(0);
  for (const i of indices) {
    const c = quality.predicted[i] ?? 0;
    counts[c] = (counts[c] ?? 0) + 1;
  }
  return counts.map((c) => c / indices.length);
}

function checkBins(what: string, bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`${what}: bins must be a positive integer, got ${String(bins)}`);
  }
}

/** Bin of a confidence (see the file comment); clamps outside [0, 1] into the end bins. */
function binOf(conf: number, bins: number): number {
  const b = Math.floor(conf * bins);
  return b < 0 ? 0 : b >= bins ? bins - 1 : b;
}

/**
 * Expected calibration error over `indices`, with `bins` equal-width bins
 * (definition in the file comment). Allocation-light for bootstraps.
 */
export function expectedCalibrationError(
  quality: RowQuality,
  indices: Uint32Array,
  bins = k_default_ece_bins,
): number {
  checkBins('expectedCalibrationError', bins);
  // Per bin, Σ(correct − conf): (n_b / N)·|acc_b − conf_b| = |Σcorrect_b − Σconf_b| / N,
  // so one sum per bin, one division, and no empty-bin case.
  const gap = new Float64Array(bins);
  const { confidence, correct } = quality;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] ?? 0;
    const conf = confidence[i] ?? 0;
    const b = binOf(conf, bins);
    gap[b] = (gap[b] ?? 0) + (correct[i] ?? 0) - conf;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) ece += Math.abs(gap[b] ?? 0);
  return ece / indices.length;
}

/**
 * ECE and the reliability diagram of `indices` (default all rows) in one
 * pass. Empty bins have null mean confidence and accuracy.
 *
 * @throws RangeError on no rows, an index out of range, or bad `bins`.
 */
export function calibration(quality: RowQuality, indices?: Uint32Array, bins = k_default_ece_bins): Calibration {
  checkBins('calibration', bins);
  const rows = indices ?? rowIndices(quality.rows);
  checkRowIndices('calibration', rows, quality.rows);
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const correctSum = new Float64Array(bins);
  for (const i of rows) {
    const conf = quality.confidence[i] ?? 0;
    const b = binOf(conf, bins);
    count[b] = (count[b] ?? 0) + 1;
    confSum[b] = (confSum[b] ?? 0) + conf;
    correctSum[b] = (correctSum[b] ?? 0) + (quality.correct[i] ?? 0);
  }
  const reliability: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b] ?? 0;
    reliability.push({
      low: b / bins,
      high: (b + 1) / bins,
      count: n,
      meanConfidence: n === 0 ? null : (confSum[b] ?? 0) / n,
      accuracy: n === 0 ? null : (correctSum[b] ?? 0) / n,
    });
  }
  return { ece: expectedCalibrationError(quality, rows, bins), bins: reliability };
}

// ---------------------------------------------------------------------------
// Gaps between slices
// ---------------------------------------------------------------------------

export interface SliceGapOptions {
  readonly metric: SliceMetricName;
  /** true for accuracy, false for ECE and flip rate, null for a positive rate (no better direction). */
  readonly higherIsBetter: boolean | null;
  /** Default k_min_slice_size. */
  readonly minSliceSize?: number;
}

/**
 * The gap between the highest and lowest value of a metric over slices with
 * at least `minSliceSize` rows. Ties for highest or lowest go to the slice
 * listed first; when every slice is equal, lowest is the second listed, so a
 * gap never compares a slice with itself. Slices with a null value (metric not measured) are excluded
 * like small ones.
 *
 * @param ci an interval for the gap, from `sliceGapCi`, or null.
 */
export function sliceGap(
  values: readonly { slice: string; n: number; value: number | null }[],
  options: SliceGapOptions,
  ci: ConfidenceInterval | null = null,
): SliceGap {
  const minSliceSize = options.minSliceSize ?? k_min_slice_size;
  const eligible: SliceValue[] = [];
  const excludedSlices: string[] = [];
  for (const v of values) {
    if (v.value !== null && v.n >= minSliceSize) eligible.push({ slice: v.slice, n: v.n, value: v.value });
    else excludedSlices.push(v.slice);
  }
  const common = { metric: options.metric, higherIsBetter: options.higherIsBetter, minSliceSize };
  const first = eligible[0];
  if (first === undefined || eligible.length < 2) {
    return { state: 'too-few-slices', ...common, eligibleSlices: eligible.length, excludedSlices };
  }
  let highest = first;
  let lowest = first;
  for (const v of eligible) {
    if (v.value > highest.value) highest = v;
    if (v.value < lowest.value) lowest = v;
  }
  // Every slice equal: the gap is 0 between two different slices, never a slice and itself.
  if (lowest === highest) lowest = eligible[1] ?? lowest;
  return { state: 'computed', ...common, highest, lowest, gap: highest.value - lowest.value, ci, excludedSlices };
}

/**
 * Stratified bootstrap interval for the gap (highest − lowest) of a metric
 * over the slices with at least `minSliceSize` rows: every resample draws
 * each slice's rows within that slice, recomputes the metric per slice and
 * takes max − min. Returns null when fewer than two slices are large enough.
 *
 * Read the lower bound: max − min over noisy estimates is biased upwards
 * (even slices that are truly equal show a positive gap), so an interval
 * whose low end is near 0 says the gap may be noise.
 */
export function sliceGapCi(
  groups: readonly SliceGroup[],
  metric: (indices: Uint32Array) => number,
  bootstrap: BootstrapOptions,
  minSliceSize = k_min_slice_size,
): ConfidenceInterval | null {
  return sliceGapCis(groups, { value: metric }, bootstrap, minSliceSize)?.value ?? null;
}

/**
 * `sliceGapCi` for several metrics from the same resamples (identical
 * results, one set of draws). Null when fewer than two slices are large enough.
 */
export function sliceGapCis<K extends string>(
  groups: readonly SliceGroup[],
  metrics: Readonly<Record<K, (indices: Uint32Array) => number>>,
  bootstrap: BootstrapOptions,
  minSliceSize = k_min_slice_size,
): Record<K, ConfidenceInterval> | null {
  const strata = groups.filter((g) => g.n >= minSliceSize).map((g) => g.indices);
  if (strata.length < 2) return null;
  const gapOf =
    (metric: (indices: Uint32Array) => number) =>
    (resampled: readonly Uint32Array[]): number => {
      let max = Number.NEGATIVE_INFINITY;
      let min = Number.POSITIVE_INFINITY;
      for (const s of resampled) {
        const v = metric(s);
        if (v > max) max = v;
        if (v < min) min = v;
      }
      return max - min;
    };
  const statistics = {} as Record<K, (resampled: readonly Uint32Array[]) => number>;
  for (const name of Object.keys(metrics) as K[]) statistics[name] = gapOf(metrics[name]);
  return bootstrapStratifiedCis(strata, statistics, bootstrap);
}
