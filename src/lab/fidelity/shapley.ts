/**
 * Model-agnostic attributions for tabular rows from forward passes only, so
 * every engine (onnxruntime-web and TF.js alike) is explained the same way.
 *
 * Each method is split in two pure halves around the model:
 *   plan…(x, background, options)  → every input row the method needs, as one
 *                                     flat Float32Array (rows × features);
 *   solve…(plan, outputs, width, target) → attributions, from the model's
 *                                     outputs for exactly those rows.
 * The caller (the worker) runs the engine in between, in one batched call or
 * in chunks of rows (`plan.inputs.subarray(start·features, end·features)`),
 * awaiting as it likes and checking for cancellation between chunks. One
 * plan serves every output: solve it once per class of interest.
 *
 * Feature groups. Attributions are per group of input columns, default one
 * column each. A one-hot encoded categorical must be one group
 * (`featureGroupsFromNames` builds them from "region=south"-style names):
 * masking half a one-hot vector asks the model about inputs it never saw.
 * Groups must partition the columns.
 *
 * KernelSHAP (Lundberg & Lee 2017), interventional, as in the shap package:
 * the value of a coalition S of groups is
 *   v(S) = mean over background rows b of f(x_S, b_{not S}),
 * so v(∅) = E[f(B)] and v(all) = f(x). The Shapley values are the solution
 * of a weighted least-squares fit of v over coalitions with the Shapley
 * kernel weight π(S) = (M−1) / (C(M,|S|)·|S|·(M−|S|)), constrained so that
 * Σ φ = f(x) − E[f(B)] (the empty and full coalitions have infinite weight,
 * so they are constraints, not rows). With every coalition enumerated the
 * result is exactly the Shapley values; with a budget, coalition sizes are
 * enumerated from the outside in while the budget covers a whole size, and
 * the rest sampled with paired complements (shap's KernelExplainer scheme).
 *
 * Feature ablation: φ_g = f(x) − f(x with group g set to the background
 * mean). One row per group; cheap, and exact for additive models, but it
 * ignores interactions and does not sum to anything in particular.
 */

import { weightedLeastSquares } from './least-squares';
import { checkTarget, classProbability, rowCount } from './probabilities';
import type { Numbers } from './probabilities';
import type { FeatureAttribution } from './types';
import { createRng, randomInt } from '../util/random';
import type { Rng } from '../util/random';

/** Column indices per attributed group; must partition the model's input columns. */
export type FeatureGroups = readonly (readonly number[])[];

/** Default coalition budget per explained row (the benchmark size). */
export const k_default_coalitions = 256;

/**
 * Most groups KernelSHAP accepts. The solve is O(M³) and needs well over M
 * coalitions; a caller with more inputs (an image) wants occlusion instead.
 */
export const k_max_kernel_shap_groups = 128;

/**
 * Sampling attempts per remaining coalition before giving up on finding new
 * ones (shap uses 4): bounds the loop when duplicates dominate.
 */
const k_sampling_attempts_per_coalition = 4;

/** Slack for "the budget covers a whole coalition size" (shap's 1 − 1e-8). */
const k_full_size_slack = 1e-8;

// ---------------------------------------------------------------------------
// Shared checks
// ---------------------------------------------------------------------------

interface Inputs {
  readonly features: number;
  readonly backgroundRows: number;
  readonly groups: FeatureGroups;
}

function checkInputs(what: string, x: Numbers, background: Numbers, groups: FeatureGroups | undefined): Inputs {
  const features = x.length;
  if (features === 0) throw new RangeError(`${what}: the explained row has no features`);
  const backgroundRows = rowCount(`${what} (background)`, background, features);
  if (backgroundRows === 0) throw new RangeError(`${what}: need at least one background row`);
  for (let i = 0; i < features; i++) {
    if (!Number.isFinite(x[i] ?? Number.NaN)) {
      throw new RangeError(`${what}: feature ${i} of the explained row is ${String(x[i])}`);
    }
  }
  for (let i = 0; i < background.length; i++) {
    if (!Number.isFinite(background[i] ?? Number.NaN)) {
      throw new RangeError(
        `${what}: background row ${Math.floor(i / features)} feature ${i % features} is ${String(background[i])}`,
      );
    }
  }
  return { features, backgroundRows, groups: checkGroups(what, groups, features) };
}

/**
 * Returns `groups` (or one group per column) after checking that it
 * partitions 0..features−1.
 * @throws RangeError naming the offending column or group.
 */
export function checkGroups(what: string, groups: FeatureGroups | undefined, features: number): FeatureGroups {
  if (groups === undefined) return Array.from({ length: features }, (_, i) => [i]);
  const owner = new Int32Array(features).fill(-1);
  groups.forEach((group, g) => {
    if (group.length === 0) throw new RangeError(`${what}: group ${g} is empty`);
    for (const c of group) {
      if (!Number.isInteger(c) || c < 0 || c >= features) {
        throw new RangeError(`${what}: group ${g} names column ${String(c)}, not in [0, ${features - 1}]`);
      }
      if (owner[c] !== -1) {
        throw new RangeError(`${what}: column ${c} is in groups ${String(owner[c])} and ${g}`);
      }
      owner[c] = g;
    }
  });
  const missing = owner.indexOf(-1);
  if (missing !== -1) throw new RangeError(`${what}: column ${missing} is in no group`);
  return groups;
}

/**
 * Groups "name=value" columns by name, in first-appearance order, so that
 * one-hot columns ("region=south", "region=west") form one group and other
 * columns ("education") stand alone.
 */
export function featureGroupsFromNames(
  featureNames: readonly string[],
  separator = '=',
): { names: string[]; groups: number[][] } {
  const names: string[] = [];
  const groups: number[][] = [];
  const byName = new Map<string, number[]>();
  featureNames.forEach((full, column) => {
    const at = full.indexOf(separator);
    const name = at > 0 ? full.slice(0, at) : full;
    let group = byName.get(name);
    if (group === undefined) {
      group = [];
      byName.set(name, group);
      names.push(name);
      groups.push(group);
    }
    group.push(column);
  });
  return { names, groups };
}

function checkOutputs(what: string, outputs: Numbers, rows: number, outputWidth: number, target: number): void {
  const got = rowCount(what, outputs, outputWidth);
  if (got !== rows) throw new RangeError(`${what}: expected outputs for ${rows} rows, got ${got}`);
  checkTarget(what, target, outputWidth);
}

function outputAt(what: string, outputs: Numbers, row: number, width: number, target: number): number {
  const p = classProbability(outputs, row, width, target);
  if (!Number.isFinite(p)) throw new RangeError(`${what}: output of row ${row} is ${String(p)}`);
  return p;
}

// ---------------------------------------------------------------------------
// KernelSHAP
// ---------------------------------------------------------------------------

export interface KernelShapOptions {
  /** Distinct coalitions to evaluate besides the empty and full ones; default k_default_coalitions. */
  readonly coalitions?: number;
  /** Seed of the coalition sampling; equal seeds give equal plans and values. */
  readonly seed: number;
  /** Default: one group per column. */
  readonly groups?: FeatureGroups;
}

/**
 * Everything KernelSHAP needs the model to evaluate for one explained row.
 *
 * Row layout of `inputs` (rows × features):
 *   row 0                      x itself (the full coalition, f(x));
 *   rows 1 .. B                the background rows (the empty coalition);
 *   rows 1 + B + c·B .. +B     coalition c: background rows with the groups
 *                              in the coalition taken from x.
 */
export interface KernelShapPlan {
  readonly method: 'kernel-shap';
  /** Model input width (columns per row). */
  readonly features: number;
  readonly groups: FeatureGroups;
  readonly backgroundRows: number;
  /** B: rows per coalition, one per background row. */
  readonly rowsPerCoalition: number;
  /** Rows in `inputs`: 1 + B + coalitions·B. */
  readonly rows: number;
  readonly inputs: Float32Array;
  /**
   * Groups whose value in x differs from some background row; the others
   * cannot change the output and get exactly 0 without being sampled.
   */
  readonly varying: readonly number[];
  /** coalitions × varying.length; 1 where the group takes x's value. */
  readonly masks: Uint8Array;
  /** Regression weight of each coalition. */
  readonly weights: Float64Array;
  readonly coalitions: number;
  /** True when every coalition was enumerated: the values are exact Shapley values. */
  readonly exact: boolean;
  readonly seed: number;
}

/** Binomial coefficient as a float (exact up to 2^53, close enough beyond for budgeting). */
function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Collects distinct coalitions with their weights, merging duplicates. */
class CoalitionSet {
  readonly masks: Uint8Array[] = [];
  readonly weights: number[] = [];
  private readonly index = new Map<string, number>();

  /** Adds `mask` with `weight`, or adds `weight` to it if present; true when new. */
  add(mask: Uint8Array, weight: number): boolean {
    const key = mask.join('');
    const at = this.index.get(key);
    if (at !== undefined) {
      this.weights[at] = (this.weights[at] ?? 0) + weight;
      return false;
    }
    this.index.set(key, this.masks.length);
    this.masks.push(mask.slice());
    this.weights.push(weight);
    return true;
  }
}

function complement(mask: Uint8Array): Uint8Array {
  return mask.map((z) => 1 - z);
}

/** Calls `visit` with every subset of size k of 0..m−1 as a 0/1 mask, in lexicographic order. */
function forEachSubset(m: number, k: number, visit: (mask: Uint8Array) => void): void {
  const chosen = Array.from({ length: k }, (_, i) => i);
  const mask = new Uint8Array(m);
  for (;;) {
    mask.fill(0);
    for (const c of chosen) mask[c] = 1;
    visit(mask);
    // Advance to the next combination.
    let i = k - 1;
    while (i >= 0 && (chosen[i] ?? 0) === m - k + i) i -= 1;
    if (i < 0) return;
    chosen[i] = (chosen[i] ?? 0) + 1;
    for (let j = i + 1; j < k; j++) chosen[j] = (chosen[j - 1] ?? 0) + 1;
  }
}

/** Shapley kernel weight of one coalition of size s among m players. */
function shapleyKernel(m: number, s: number): number {
  return (m - 1) / (binomial(m, s) * s * (m - s));
}

/**
 * Chooses the coalitions and their weights for m varying groups with a
 * budget of `budget` distinct coalitions (see the file comment).
 */
function chooseCoalitions(m: number, budget: number, rng: Rng): { set: CoalitionSet; exact: boolean } {
  const set = new CoalitionSet();
  const all = 2 ** m - 2;
  if (budget >= all) {
    // Enumerate everything with the exact kernel weights.
    for (let s = 1; s < m; s++) {
      const w = shapleyKernel(m, s);
      forEachSubset(m, s, (mask) => set.add(mask, w));
    }
    return { set, exact: true };
  }

  // Total kernel weight of each size s = 1..⌈(m−1)/2⌉, counting size m−s
  // with it ("paired") except for the middle size of an even m.
  const sizes = Math.ceil((m - 1) / 2);
  const pairedSizes = Math.floor((m - 1) / 2);
  const weightOfSize = Array.from({ length: sizes }, (_, i) => {
    const s = i + 1;
    return ((m - 1) / (s * (m - s))) * (s <= pairedSizes ? 2 : 1);
  });
  const total = weightOfSize.reduce((a, b) => a + b, 0);
  for (let i = 0; i < sizes; i++) weightOfSize[i] = (weightOfSize[i] ?? 0) / total;

  // Enumerate whole sizes, from the outside in, while the budget's share of
  // the remaining weight covers every subset of the size.
  let left = budget;
  let fullSizes = 0;
  const remaining = weightOfSize.slice();
  for (let s = 1; s <= sizes; s++) {
    const paired = s <= pairedSizes;
    const count = binomial(m, s) * (paired ? 2 : 1);
    const share = remaining[s - 1] ?? 0;
    if (!((left * share) / count >= 1 - k_full_size_slack)) break;
    fullSizes += 1;
    left -= count;
    if (share < 1) for (let i = 0; i < sizes; i++) remaining[i] = (remaining[i] ?? 0) / (1 - share);
    const w = (weightOfSize[s - 1] ?? 0) / binomial(m, s) / (paired ? 2 : 1);
    forEachSubset(m, s, (mask) => {
      set.add(mask, w);
      if (paired) set.add(complement(mask), w);
    });
  }
  if (fullSizes === sizes) return { set, exact: true };

  // Sample the remaining sizes: size by its share of the remaining weight,
  // then a uniform subset of that size and (for paired sizes) its complement.
  const fixed = set.masks.length;
  const sizeWeights = weightOfSize.slice(fullSizes).map((w, i) => (fullSizes + i < pairedSizes ? w / 2 : w));
  const sizeTotal = sizeWeights.reduce((a, b) => a + b, 0);
  const perm = Array.from({ length: m }, (_, i) => i);
  const mask = new Uint8Array(m);
  let attempts = k_sampling_attempts_per_coalition * left;
  while (left > 0 && attempts > 0) {
    attempts -= 1;
    let u = rng() * sizeTotal;
    let pick = 0;
    while (pick < sizeWeights.length - 1 && u >= (sizeWeights[pick] ?? 0)) {
      u -= sizeWeights[pick] ?? 0;
      pick += 1;
    }
    const s = fullSizes + pick + 1;
    // Partial Fisher–Yates: the first s entries of perm become a uniform subset.
    mask.fill(0);
    for (let i = 0; i < s; i++) {
      const j = i + randomInt(rng, m - i);
      const t = perm[i] ?? 0;
      perm[i] = perm[j] ?? 0;
      perm[j] = t;
      mask[perm[i] ?? 0] = 1;
    }
    if (set.add(mask, 1)) left -= 1;
    if (left > 0 && s <= pairedSizes && set.add(complement(mask), 1)) left -= 1;
  }
  // The sampled coalitions share the weight of the sizes not enumerated,
  // in proportion to how often each was drawn.
  const weightLeft = weightOfSize.slice(fullSizes).reduce((a, b) => a + b, 0);
  let drawn = 0;
  for (let i = fixed; i < set.weights.length; i++) drawn += set.weights[i] ?? 0;
  for (let i = fixed; i < set.weights.length; i++) set.weights[i] = ((set.weights[i] ?? 0) * weightLeft) / drawn;
  return { set, exact: false };
}

/**
 * Plans KernelSHAP for one explained row: picks the coalitions (seeded) and
 * builds every masked input row.
 *
 * @param x the explained row (features values).
 * @param background background rows × features, flattened (typically 50–100
 *   rows sampled from the training or evaluation data).
 * @throws RangeError on empty or non-finite inputs, a background that is not
 *   whole rows, bad groups, a coalition budget that is not a positive
 *   integer, or more than k_max_kernel_shap_groups groups.
 */
export function planKernelShap(x: Numbers, background: Numbers, options: KernelShapOptions): KernelShapPlan {
  const what = 'planKernelShap';
  const { features, backgroundRows, groups } = checkInputs(what, x, background, options.groups);
  const budget = options.coalitions ?? k_default_coalitions;
  if (!Number.isInteger(budget) || budget < 1) {
    throw new RangeError(`${what}: coalitions must be a positive integer, got ${String(budget)}`);
  }
  if (groups.length > k_max_kernel_shap_groups) {
    throw new RangeError(
      `${what}: ${groups.length} groups is more than ${k_max_kernel_shap_groups}; use feature groups or occlusion`,
    );
  }
  // Compare in float32, the precision the model sees.
  const x32 = Float32Array.from(x);
  const bg32 = Float32Array.from(background);
  const varying: number[] = [];
  groups.forEach((group, g) => {
    let differs = false;
    for (let b = 0; b < backgroundRows && !differs; b++) {
      for (const c of group) if (bg32[b * features + c] !== x32[c]) differs = true;
    }
    if (differs) varying.push(g);
  });

  const m = varying.length;
  const chosen = m >= 2 ? chooseCoalitions(m, budget, createRng(options.seed)) : null;
  const coalitions = chosen?.set.masks.length ?? 0;
  const masks = new Uint8Array(coalitions * m);
  const weights = new Float64Array(coalitions);
  if (chosen !== null) {
    chosen.set.masks.forEach((mask, c) => masks.set(mask, c * m));
    weights.set(chosen.set.weights);
  }

  const rows = 1 + backgroundRows + coalitions * backgroundRows;
  const inputs = new Float32Array(rows * features);
  inputs.set(x32, 0);
  inputs.set(bg32, features);
  for (let c = 0; c < coalitions; c++) {
    const first = 1 + backgroundRows + c * backgroundRows;
    inputs.set(bg32, first * features);
    for (let v = 0; v < m; v++) {
      if (masks[c * m + v] !== 1) continue;
      const group = groups[varying[v] ?? 0] ?? [];
      for (let b = 0; b < backgroundRows; b++) {
        const base = (first + b) * features;
        for (const col of group) inputs[base + col] = x32[col] ?? 0;
      }
    }
  }
  return {
    method: 'kernel-shap',
    features,
    groups,
    backgroundRows,
    rowsPerCoalition: backgroundRows,
    rows,
    inputs,
    varying,
    masks,
    weights,
    coalitions,
    exact: chosen?.exact ?? true,
    seed: options.seed,
  };
}

/**
 * Solves KernelSHAP from the model's outputs for `plan.inputs`.
 *
 * @param outputs plan.rows × outputWidth, row-major, in plan row order.
 * @param outputWidth outputs per row (1 for a single sigmoid output).
 * @param target the class whose probability is attributed.
 * @returns one value per group; Σ values = fx − baseValue exactly (up to
 *   rounding), groups that never vary get exactly 0.
 * @throws RangeError on outputs of the wrong size, a bad target, or a
 *   non-finite output.
 */
export function solveKernelShap(
  plan: KernelShapPlan,
  outputs: Numbers,
  outputWidth: number,
  target: number,
): FeatureAttribution {
  const what = 'solveKernelShap';
  checkOutputs(what, outputs, plan.rows, outputWidth, target);
  const B = plan.backgroundRows;
  const meanOver = (first: number): number => {
    let sum = 0;
    for (let b = 0; b < B; b++) sum += outputAt(what, outputs, first + b, outputWidth, target);
    return sum / B;
  };
  const fx = outputAt(what, outputs, 0, outputWidth, target);
  const baseValue = meanOver(1);
  const delta = fx - baseValue;
  const values = new Array<number>(plan.groups.length).fill(0);
  const m = plan.varying.length;
  const last = plan.varying[m - 1];

  if (m === 1 && last !== undefined) {
    values[last] = delta;
  } else if (m >= 2 && last !== undefined) {
    // Eliminate the last varying group with the constraint
    // φ_last = Δ − Σ_{j<last} φ_j:  y − z_last·Δ = Σ_j (z_j − z_last)·φ_j.
    const k = plan.coalitions;
    const cols = m - 1;
    const design = new Float64Array(k * cols);
    const y = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const zLast = plan.masks[c * m + cols] ?? 0;
      y[c] = meanOver(1 + B + c * B) - baseValue - zLast * delta;
      for (let j = 0; j < cols; j++) design[c * cols + j] = (plan.masks[c * m + j] ?? 0) - zLast;
    }
    const phi = weightedLeastSquares(design, y, plan.weights, k, cols);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const v = phi[j] ?? 0;
      values[plan.varying[j] ?? 0] = v;
      sum += v;
    }
    values[last] = delta - sum;
  }
  return {
    method: 'kernel-shap',
    target,
    values,
    fx,
    baseValue,
    coalitions: plan.coalitions,
    exact: plan.exact,
  };
}

// ---------------------------------------------------------------------------
// Feature ablation
// ---------------------------------------------------------------------------

export interface FeatureAblationPlan {
  readonly method: 'feature-ablation';
  readonly features: number;
  readonly groups: FeatureGroups;
  /** Per-column background mean that replaces an ablated group (float32, as the model sees it). */
  readonly fill: Float32Array;
  /** 1 + groups.length: x, then x with group g ablated at row 1 + g. */
  readonly rows: number;
  readonly inputs: Float32Array;
}

/**
 * Per-column mean of rows × features values, in float64.
 * @throws RangeError when `values` is not whole rows or has none.
 */
export function columnMeans(values: Numbers, features: number): Float64Array {
  const rows = rowCount('columnMeans', values, features);
  if (rows === 0) throw new RangeError('columnMeans: need at least one row');
  const means = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < features; c++) means[c] = (means[c] ?? 0) + (values[r * features + c] ?? 0);
  }
  for (let c = 0; c < features; c++) means[c] = (means[c] ?? 0) / rows;
  return means;
}

/**
 * Plans feature ablation for one explained row: x, then one row per group
 * with that group's columns replaced by their background means (for a
 * one-hot group, the category frequencies).
 *
 * @throws RangeError on empty or non-finite inputs or bad groups.
 */
export function planFeatureAblation(
  x: Numbers,
  background: Numbers,
  options: { readonly groups?: FeatureGroups } = {},
): FeatureAblationPlan {
  const { features, groups } = checkInputs('planFeatureAblation', x, background, options.groups);
  const fill = Float32Array.from(columnMeans(background, features));
  const x32 = Float32Array.from(x);
  const rows = 1 + groups.length;
  const inputs = new Float32Array(rows * features);
  for (let r = 0; r < rows; r++) inputs.set(x32, r * features);
  groups.forEach((group, g) => {
    for (const c of group) inputs[(1 + g) * features + c] = fill[c] ?? 0;
  });
  return { method: 'feature-ablation', features, groups, fill, rows, inputs };
}

/**
 * φ_g = f(x) − f(x with group g ablated), from the outputs for `plan.inputs`.
 * @throws RangeError on outputs of the wrong size, a bad target, or a
 *   non-finite output.
 */
export function solveFeatureAblation(
  plan: FeatureAblationPlan,
  outputs: Numbers,
  outputWidth: number,
  target: number,
): FeatureAttribution {
  const what = 'solveFeatureAblation';
  checkOutputs(what, outputs, plan.rows, outputWidth, target);
  const fx = outputAt(what, outputs, 0, outputWidth, target);
  const values = plan.groups.map((_, g) => fx - outputAt(what, outputs, 1 + g, outputWidth, target));
  return { method: 'feature-ablation', target, values, fx, baseValue: null, coalitions: null, exact: true };
}
