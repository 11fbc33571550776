/**
 * Result shapes of the fidelity core.
 *
 * Everything here goes into the results document, which is JSON: plain
 * objects, arrays, strings, finite numbers and `null`. No Maps, no typed
 * arrays, and no NaN or Infinity (JSON.stringify would turn them into `null`
 * silently, or lose them): where a number cannot be defined, the field is
 * `null` and its comment says when that happens.
 *
 * The per-row intermediates the computations share (typed arrays of flips,
 * confidences, ranks) live beside the functions that make them and never
 * reach the results document.
 */

/** A point estimate with a percentile-bootstrap interval around it. */
export interface ConfidenceInterval {
  /** The statistic on the data as observed (not the bootstrap mean). */
  estimate: number;
  low: number;
  high: number;
}

/** How an interval was computed, stored once per report so it can be recomputed. */
export interface BootstrapSettings {
  iterations: number;
  seed: number;
  /** Two-sided level in (0, 1), e.g. 0.95. */
  confidence: number;
}

/** Agreement of a cell's probabilities with the reference's on a set of rows. */
export interface AgreementSummary {
  n: number;
  /** Rows whose top-1 class differs from the reference's (rows with non-finite outputs count as flips). */
  flips: number;
  /** flips / n. */
  flipRate: number;
  /** Mean over rows of the row's max-over-classes |Δp|; rows with non-finite outputs excluded (0 when none is left). */
  meanAbsDp: number;
  /** Max over rows of the row's max-over-classes |Δp|; rows with non-finite outputs excluded (0 when none is left). */
  maxAbsDp: number;
  /** Rows where either side held NaN or ±Infinity: a broken output, flagged apart so |Δp| stays finite. */
  nonFiniteRows: number;
}

/** One bin of a reliability diagram (equal-width bins on the top-1 confidence). */
export interface ReliabilityBin {
  /** The bin covers [low, high); the last bin also includes 1. */
  low: number;
  high: number;
  count: number;
  /** Mean top-1 confidence of the rows in the bin; null when the bin is empty. */
  meanConfidence: number | null;
  /** Fraction of the bin's rows whose top-1 class is the label; null when the bin is empty. */
  accuracy: number | null;
}

/** Calibration of a set of rows: ECE and the diagram it was computed from. */
export interface Calibration {
  /** Σ_b (n_b / N)·|acc_b − conf_b| over the bins (see quality-metrics.ts). */
  ece: number;
  bins: ReliabilityBin[];
}

/** Names of the per-slice metrics that can have an interval or a slice gap. */
export type SliceMetricName =
  | 'accuracy'
  | 'ece'
  | 'positiveRate'
  | 'flipRate'
  | 'meanAbsDp'
  | 'truePositiveRate'
  | 'falsePositiveRate'
  | 'accuracyDrop';

/**
 * Everything measured on one slice of the evaluation rows for one cell.
 * Agreement fields are null when the cell was not compared with a
 * reference; quality fields are null when the data has no labels.
 */
export interface SliceMetrics {
  /** "all", "ethnicity=afam" or "ethnicity=afam & region=south" (see slices.ts). */
  slice: string;
  n: number;
  accuracy: number | null;
  /** Expected calibration error of the top-1 confidence. */
  ece: number | null;
  /** Rate of predicting the positive class; null for unlabelled data or a multiclass model without a positive class. */
  positiveRate: number | null;
  /**
   * Fairness figures of a binary model (absent in files written before they
   * existed; null for unlabelled data or a multiclass model): the label's
   * base rate, the rows with a positive / negative label, and the
   * true-positive rate (recall of the positive class: equal opportunity
   * compares it between slices) and false-positive rate (equalised odds
   * compares both). A rate is null when its slice has no row to divide by.
   */
  baseRate?: number | null;
  positives?: number | null;
  negatives?: number | null;
  truePositiveRate?: number | null;
  falsePositiveRate?: number | null;
  /**
   * The reference's accuracy on the same rows, and how much lower this
   * configuration's is (positive = worse than the reference); absent in
   * older files, null without labels or reference outputs.
   */
  referenceAccuracy?: number | null;
  accuracyDrop?: number | null;
  reliability: ReliabilityBin[] | null;
  flipRate: number | null;
  meanAbsDp: number | null;
  maxAbsDp: number | null;
  /** Rows with NaN/Infinity outputs; null when there was no reference. */
  nonFiniteRows: number | null;
  /** Bootstrap intervals for the metrics that were computed (absent keys: not computed). */
  ci: Partial<Record<SliceMetricName, ConfidenceInterval>>;
}

/** One slice's value of a metric, the input and output unit of gap computations. */
export interface SliceValue {
  slice: string;
  /** Rows the value is computed over: the slice's rows, its positives for a true-positive rate, its negatives for a false-positive rate. */
  n: number;
  value: number;
}

/**
 * The spread of a metric between slices: highest minus lowest value over the
 * slices with at least `minSliceSize` rows. "Highest" and "lowest" rather
 * than best and worst, because for a positive rate neither direction is
 * better; `higherIsBetter` says how to read them when there is one.
 */
export type SliceGap =
  | {
      state: 'computed';
      metric: SliceMetricName;
      higherIsBetter: boolean | null;
      minSliceSize: number;
      highest: SliceValue;
      lowest: SliceValue;
      /** highest.value − lowest.value, ≥ 0. */
      gap: number;
      /** Stratified bootstrap (resampling within each slice); null when not requested. */
      ci: ConfidenceInterval | null;
      /** Slices left out for having fewer than minSliceSize rows (or no value). */
      excludedSlices: string[];
    }
  | {
      state: 'too-few-slices';
      metric: SliceMetricName;
      higherIsBetter: boolean | null;
      minSliceSize: number;
      /** How many slices were large enough (0 or 1). */
      eligibleSlices: number;
      excludedSlices: string[];
    };

/** Per-image PSNR, summarised (image-to-image models). */
export interface PsnrSummary {
  n: number;
  /** Images whose output equals the reference exactly (PSNR = +∞, kept out of the mean). */
  identical: number;
  /** Mean PSNR in dB over the images that are not identical; null when all are. */
  meanDb: number | null;
  /** Lowest PSNR in dB (the worst image); null when all are identical. */
  minDb: number | null;
}

/** Which attribution method produced a set of attributions. */
export type AttributionMethod = 'kernel-shap' | 'feature-ablation' | 'occlusion';

/** Attributions of one explained row to its feature groups, for one output. */
export interface FeatureAttribution {
  method: 'kernel-shap' | 'feature-ablation';
  /** Index of the output (class) whose probability was attributed. */
  target: number;
  /** One value per feature group, in group order. */
  values: number[];
  /** The model's output for the explained row. */
  fx: number;
  /**
   * KernelSHAP: E[f(background)], so Σ values = fx − baseValue exactly.
   * Feature ablation: null (ablation values do not sum to anything).
   */
  baseValue: number | null;
  /** KernelSHAP: distinct coalitions evaluated (beyond the empty and full ones); null for ablation. */
  coalitions: number | null;
  /**
   * True when no sampling was involved: KernelSHAP with every coalition
   * enumerated (the values are then the exact Shapley values), or ablation.
   */
  exact: boolean;
}

/** An occlusion map for one image and one class. */
export interface OcclusionMap {
  target: number;
  height: number;
  width: number;
  /** Target-class probability of the unoccluded image. */
  baseProbability: number;
  /**
   * Row-major height × width: for each pixel, the mean probability drop
   * (base − occluded) over the patches that cover it. Positive: hiding
   * the pixel lowers the class probability.
   */
  values: number[];
  gridHeight: number;
  gridWidth: number;
  /** Row-major gridHeight × gridWidth: the probability drop of each patch. */
  grid: number[];
}

/** How importances are ranked for drift measures. */
export type RankBy = 'absolute' | 'signed';

/** Attribution drift of a cell against the reference on one slice. */
export interface AttributionDriftSlice {
  slice: string;
  /** Explained examples in the slice. */
  n: number;
  meanSpearman: number;
  /** The worst example: one bad explanation hides in a mean. */
  minSpearman: number;
  meanTopKOverlap: number;
  /** Mean Pearson correlation of the raw (signed) attributions, e.g. occlusion maps. */
  meanPearson: number;
  ci: {
    spearman?: ConfidenceInterval;
    topKOverlap?: ConfidenceInterval;
    pearson?: ConfidenceInterval;
  };
}

/** Attribution drift of one cell against the reference, overall and per slice. */
export interface AttributionDriftReport {
  method: AttributionMethod;
  /** Output (class) whose attributions were compared. */
  target: number;
  /** k of the top-k overlap (after clamping to the number of features). */
  k: number;
  rankBy: RankBy;
  overall: AttributionDriftSlice;
  slices: AttributionDriftSlice[];
}

/** The slices made by one choice of slice columns, and the gaps between them. */
export interface SliceGrouping {
  /** Columns intersected: ["region"] or ["ethnicity", "region"]. */
  columns: string[];
  /** One entry per combination present in the data, ordered as in slices.ts. */
  slices: SliceMetrics[];
  /** One entry per metric that was measured (accuracy, ece, positiveRate, flipRate, meanAbsDp, truePositiveRate, falsePositiveRate). */
  gaps: SliceGap[];
}

/** The fidelity of one cell: the part of a cell's result that this core computes. */
export interface FidelityReport {
  /** null when no intervals were computed. */
  bootstrap: BootstrapSettings | null;
  /** Slices under this many rows are shown but left out of gaps. */
  minSliceSize: number;
  /** Number of equal-width bins of the reliability diagrams and ECE. */
  eceBins: number;
  /** Class whose predicted rate is `positiveRate`; null when none was defined (multiclass). */
  positiveClass: number | null;
  overall: SliceMetrics;
  /** One per requested choice of slice columns (each column alone, a chosen intersection...). */
  groupings: SliceGrouping[];
  attributionDrift: AttributionDriftReport | null;
  psnr: PsnrSummary | null;
}
