/**
 * Attribution drift: how far a cell's explanations moved from the
 * reference's explanations of the same examples.
 *
 * Per explained example, three numbers:
 * - Spearman rank correlation of the importances (by default of |value|:
 *   "are the same features important, in the same order?"; `rankBy:
 *   'signed'` also counts a feature flipping from helping to hurting);
 * - top-k overlap by |value| (do the k most important features agree?);
 * - Pearson correlation of the signed values (the natural measure for
 *   occlusion maps, whose magnitudes carry meaning).
 * Degenerate cases (constant vectors) follow rank-metrics.ts: 1 when both
 * sides are constant, 0 when one is.
 *
 * Then per slice: the mean of each (with optional bootstrap intervals over
 * examples) and the minimum Spearman, since one wildly wrong explanation
 * hides easily in a mean. Slice indices here count explained examples, not
 * evaluation rows: group the explained examples' slice values.
 */

import { bootstrapCi } from './bootstrap';
import type { BootstrapOptions } from './bootstrap';
import { rowCount } from './probabilities';
import type { Numbers } from './probabilities';
import { pearson, spearman, topKOverlap } from './rank-metrics';
import { allRowsSlice } from './slices';
import type { SliceGroup } from './slices';
import type { AttributionDriftReport, AttributionDriftSlice, AttributionMethod, RankBy } from './types';

export interface AttributionDriftOptions {
  /** k of the top-k overlap; clamped to the number of features. */
  readonly k: number;
  /** Default 'absolute'. */
  readonly rankBy?: RankBy;
}

/** Per-example drift measures (typed arrays; summarise them for the results). */
export interface ExampleDrift {
  readonly examples: number;
  /** Attribution values per example (features or pixels). */
  readonly width: number;
  /** k after clamping to `width`. */
  readonly k: number;
  readonly rankBy: RankBy;
  readonly spearman: Float64Array;
  readonly topKOverlap: Float64Array;
  readonly pearson: Float64Array;
}

/**
 * Stacks per-example attributions (FeatureAttribution or OcclusionMap: any
 * object with `values`) into one examples × width array.
 * @throws RangeError when the examples differ in width.
 */
export function stackAttributions(list: readonly { readonly values: readonly number[] }[]): {
  values: Float64Array;
  width: number;
} {
  const width = list[0]?.values.length ?? 0;
  const values = new Float64Array(list.length * width);
  list.forEach((a, i) => {
    if (a.values.length !== width) {
      throw new RangeError(`stackAttributions: example ${i} has ${a.values.length} values, example 0 has ${width}`);
    }
    values.set(a.values, i * width);
  });
  return { values, width };
}

/**
 * Compares the candidate's attributions with the reference's, example by
 * example.
 *
 * @param reference examples × width attributions from the reference cell.
 * @param candidate the same examples, same order, from the candidate cell.
 * @throws RangeError on mismatched shapes, non-finite values or a bad k.
 */
export function compareAttributions(
  reference: Numbers,
  candidate: Numbers,
  width: number,
  options: AttributionDriftOptions,
): ExampleDrift {
  const what = 'compareAttributions';
  const examples = rowCount(`${what} (reference)`, reference, width);
  if (candidate.length !== reference.length) {
    throw new RangeError(`${what}: candidate has ${candidate.length} values, reference has ${reference.length}`);
  }
  if (!Number.isInteger(options.k) || options.k < 1) {
    throw new RangeError(`${what}: k must be a positive integer, got ${String(options.k)}`);
  }
  const rankBy = options.rankBy ?? 'absolute';
  const rho = new Float64Array(examples);
  const overlap = new Float64Array(examples);
  const r = new Float64Array(examples);
  const absA = new Float64Array(width);
  const absB = new Float64Array(width);
  for (let e = 0; e < examples; e++) {
    const a = Float64Array.from({ length: width }, (_, i) => reference[e * width + i] ?? Number.NaN);
    const b = Float64Array.from({ length: width }, (_, i) => candidate[e * width + i] ?? Number.NaN);
    if (rankBy === 'absolute') {
      for (let i = 0; i < width; i++) {
        absA[i] = Math.abs(a[i] ?? 0);
        absB[i] = Math.abs(b[i] ?? 0);
      }
    }
    r[e] = pearson(a, b); // validates finiteness first
    rho[e] = rankBy === 'absolute' ? spearman(absA, absB) : spearman(a, b);
    overlap[e] = topKOverlap(a, b, options.k);
  }
  return {
    examples,
    width,
    k: Math.min(options.k, width),
    rankBy,
    spearman: rho,
    topKOverlap: overlap,
    pearson: r,
  };
}

function meanOf(values: Float64Array): (indices: Uint32Array) => number {
  return (indices) => {
    let sum = 0;
    for (let k = 0; k < indices.length; k++) sum += values[indices[k] ?? 0] ?? 0;
    return sum / indices.length;
  };
}

/**
 * Drift summary of one slice of explained examples.
 * @param bootstrap intervals for the three means; null or omitted for none.
 * @throws RangeError on an empty slice or an index out of range.
 */
export function summarizeDrift(
  drift: ExampleDrift,
  group: Pick<SliceGroup, 'slice' | 'indices'>,
  bootstrap: BootstrapOptions | null = null,
): AttributionDriftSlice {
  const { indices } = group;
  if (indices.length === 0) throw new RangeError(`summarizeDrift: slice "${group.slice}" has no examples`);
  let minSpearman = Number.POSITIVE_INFINITY;
  for (const i of indices) {
    if (i >= drift.examples) {
      throw new RangeError(`summarizeDrift: example ${i} is out of range [0, ${drift.examples - 1}]`);
    }
    minSpearman = Math.min(minSpearman, drift.spearman[i] ?? 0);
  }
  const means = {
    spearman: meanOf(drift.spearman),
    topKOverlap: meanOf(drift.topKOverlap),
    pearson: meanOf(drift.pearson),
  };
  return {
    slice: group.slice,
    n: indices.length,
    meanSpearman: means.spearman(indices),
    minSpearman,
    meanTopKOverlap: means.topKOverlap(indices),
    meanPearson: means.pearson(indices),
    ci:
      bootstrap === null
        ? {}
        : {
            spearman: bootstrapCi(indices, means.spearman, bootstrap),
            topKOverlap: bootstrapCi(indices, means.topKOverlap, bootstrap),
            pearson: bootstrapCi(indices, means.pearson, bootstrap),
          },
  };
}

/**
 * The drift report of one cell: overall and per slice.
 *
 * @param groups slices of the explained examples (e.g. `groupBySlices` on
 *   the explained rows' slice columns); [] for overall only.
 */
export function attributionDriftReport(
  drift: ExampleDrift,
  groups: readonly SliceGroup[],
  options: { readonly method: AttributionMethod; readonly target: number; readonly bootstrap?: BootstrapOptions | null },
): AttributionDriftReport {
  const bootstrap = options.bootstrap ?? null;
  return {
    method: options.method,
    target: options.target,
    k: drift.k,
    rankBy: drift.rankBy,
    overall: summarizeDrift(drift, allRowsSlice(drift.examples), bootstrap),
    slices: groups.map((g) => summarizeDrift(drift, g, bootstrap)),
  };
}
