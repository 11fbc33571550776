import { describe, expect, it } from 'vitest';

import {
  checkGroups,
  columnMeans,
  featureGroupsFromNames,
  k_default_coalitions,
  planFeatureAblation,
  planKernelShap,
  solveFeatureAblation,
  solveKernelShap,
} from './shapley';

/** Runs a fake model on flattened rows; outputs [−f, f] per row so target 0 and 1 differ. */
function run(inputs: Float32Array, features: number, f: (row: Float32Array) => number): Float64Array {
  const rows = inputs.length / features;
  const out = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const v = f(inputs.subarray(r * features, (r + 1) * features));
    out[r * 2] = -v;
    out[r * 2 + 1] = v;
  }
  return out;
}

function linear(w: readonly number[], b: number): (row: Float32Array) => number {
  return (row) => w.reduce((s, wi, i) => s + wi * (row[i] ?? 0), b);
}

// f(x) = w·x + b with every value a binary fraction (exact in float32).
const w = [1, -2, 0.5, 3];
const b = 0.25;
const x = [1, 2, 3, 4];
// Background means per feature: [0, 1, 2, 5].
const background = [0, 0, 0, 4, 2, 1, 5, 6, -2, 2, 1, 5];
// φ_i = w_i·(x_i − mean_i) = [1·1, −2·1, 0.5·1, 3·(−1)]
const expectedLinear = [1, -2, 0.5, -3];

describe('planKernelShap + solveKernelShap', () => {
  it('enumerates all 14 coalitions of 4 features and recovers w_i·(x_i − mean_i) exactly', () => {
    const plan = planKernelShap(x, background, { seed: 1, coalitions: 14 });
    expect(plan.coalitions).toBe(14);
    expect(plan.exact).toBe(true);
    expect(plan.rowsPerCoalition).toBe(3);
    expect(plan.rows).toBe(1 + 3 + 14 * 3);
    expect(plan.inputs.length).toBe(plan.rows * 4);
    const phi = solveKernelShap(plan, run(plan.inputs, 4, linear(w, b)), 2, 1);
    phi.values.forEach((v, i) => expect(v).toBeCloseTo(expectedLinear[i] ?? Number.NaN, 9));
    expect(phi.fx).toBe(1 - 4 + 1.5 + 12 + 0.25);
    expect(phi.baseValue).toBe(0 - 2 + 1 + 15 + 0.25); // f at the background mean (f is linear)
    expect(phi).toMatchObject({ method: 'kernel-shap', target: 1, coalitions: 14, exact: true });
  });

  it('lays out x, the background, then each coalition over the background', () => {
    const plan = planKernelShap(x, background, { seed: 1, coalitions: 14 });
    expect([...plan.inputs.subarray(0, 4)]).toEqual(x);
    expect([...plan.inputs.subarray(4, 16)]).toEqual(background);
    const m = plan.varying.length;
    const mask = [...plan.masks.subarray(0, m)];
    // Coalition 0, background row 1: x where the mask is 1, background row 1 elsewhere.
    const row = [...plan.inputs.subarray((1 + 3 + 1) * 4, (1 + 3 + 2) * 4)];
    expect(row).toEqual(mask.map((z, i) => (z === 1 ? x[i] : background[4 + i])));
  });

  it('attributes the other output with the opposite sign (target selects the column)', () => {
    const plan = planKernelShap(x, background, { seed: 1, coalitions: 100 });
    const phi = solveKernelShap(plan, run(plan.inputs, 4, linear(w, b)), 2, 0);
    phi.values.forEach((v, i) => expect(v).toBeCloseTo(-(expectedLinear[i] ?? Number.NaN), 9));
  });

  it('reads a single sigmoid output as [1 − p, p]', () => {
    const plan = planKernelShap([1, 1], [0, 0], { seed: 1 });
    const sigmoid = (row: Float32Array): number => 0.25 * (row[0] ?? 0) + 0.125 * (row[1] ?? 0) + 0.5;
    const outputs = Float64Array.from({ length: plan.rows }, (_, r) =>
      sigmoid(plan.inputs.subarray(r * 2, r * 2 + 2)),
    );
    const p1 = solveKernelShap(plan, outputs, 1, 1);
    const p0 = solveKernelShap(plan, outputs, 1, 0);
    expect(p1.values[0]).toBeCloseTo(0.25, 12);
    expect(p1.values[1]).toBeCloseTo(0.125, 12);
    expect(p0.values[0]).toBeCloseTo(-0.25, 12);
  });

  it('recovers a linear model exactly from sampled coalitions (10 features, 100 of 1022)', () => {
    const features = 10;
    const wl = Array.from({ length: features }, (_, i) => (i % 3) - 1 + i / 8);
    const xl = Array.from({ length: features }, (_, i) => i / 4);
    const bg = Array.from({ length: 5 * features }, (_, k) => ((k * 7) % 11) / 4 - 1);
    const means = columnMeans(bg, features);
    const plan = planKernelShap(xl, bg, { seed: 42, coalitions: 100 });
    expect(plan.exact).toBe(false);
    expect(plan.coalitions).toBe(100);
    const phi = solveKernelShap(plan, run(plan.inputs, features, linear(wl, -1)), 2, 1);
    phi.values.forEach((v, i) => {
      expect(v).toBeCloseTo((wl[i] ?? 0) * ((xl[i] ?? 0) - (means[i] ?? 0)), 6);
    });
  });

  it('gives the exact Shapley values of an interaction when every coalition is enumerated', () => {
    // f = x0·x1, one background row b = [1, 1, 0], x = [2, 3, 1]:
    // v(∅) = 1, v{0} = 2, v{1} = 3, v{0,1} = 6, feature 2 is a dummy.
    // φ0 = ½[(2 − 1) + (6 − 3)] = 2, φ1 = ½[(3 − 1) + (6 − 2)] = 3, φ2 = 0.
    const plan = planKernelShap([2, 3, 1], [1, 1, 0], { seed: 3 });
    expect(plan.exact).toBe(true);
    const phi = solveKernelShap(plan, run(plan.inputs, 3, (r) => (r[0] ?? 0) * (r[1] ?? 0)), 2, 1);
    expect(phi.values[0]).toBeCloseTo(2, 9);
    expect(phi.values[1]).toBeCloseTo(3, 9);
    expect(phi.values[2]).toBeCloseTo(0, 9);
  });

  it('keeps efficiency exactly and is deterministic for a seed when sampling a non-linear model', () => {
    const features = 8;
    const f = (r: Float32Array): number =>
      (r[0] ?? 0) * (r[1] ?? 0) * (r[2] ?? 0) + Math.sin((r[3] ?? 0) * (r[4] ?? 0)) + (r[7] ?? 0) ** 2;
    const xs = [3, -2, 2, 1.5, 2.5, 0, 1, 2];
    const bg = Array.from({ length: 4 * features }, (_, k) => (k % 5) / 2);
    const a = planKernelShap(xs, bg, { seed: 9, coalitions: 60 });
    const again = planKernelShap(xs, bg, { seed: 9, coalitions: 60 });
    const other = planKernelShap(xs, bg, { seed: 10, coalitions: 60 });
    expect(again.masks).toEqual(a.masks);
    expect(again.weights).toEqual(a.weights);
    expect(other.masks).not.toEqual(a.masks);
    const phi = solveKernelShap(a, run(a.inputs, features, f), 2, 1);
    expect(solveKernelShap(again, run(again.inputs, features, f), 2, 1)).toEqual(phi);
    const sum = phi.values.reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(phi.fx - (phi.baseValue ?? Number.NaN), 12);
    // Sampling error shrinks with the budget: against the exact values (all
    // 254 coalitions), whose largest is about −8.06, the largest error is
    // 0.86 with 60 coalitions and 0.37 with 200 (for this seed).
    const full = planKernelShap(xs, bg, { seed: 9, coalitions: 254 });
    expect(full.exact).toBe(true);
    const exact = solveKernelShap(full, run(full.inputs, features, f), 2, 1).values;
    expect(exact[1]).toBeCloseTo(-8.0625, 9);
    const maxError = (values: readonly number[]): number =>
      Math.max(...values.map((v, i) => Math.abs(v - (exact[i] ?? Number.NaN))));
    const more = planKernelShap(xs, bg, { seed: 9, coalitions: 200 });
    expect(maxError(phi.values)).toBeLessThan(1);
    expect(maxError(solveKernelShap(more, run(more.inputs, features, f), 2, 1).values)).toBeLessThan(0.4);
  });

  it('gives exactly 0 to groups that equal x in every background row, without sampling them', () => {
    const plan = planKernelShap([1, 5, 3], [0, 5, 0, 2, 5, 2], { seed: 1 });
    expect(plan.varying).toEqual([0, 2]);
    const phi = solveKernelShap(plan, run(plan.inputs, 3, linear([1, 100, 1], 0)), 2, 1);
    expect(phi.values[1]).toBe(0);
    expect(phi.values[0]).toBeCloseTo(0, 12); // x0 = 1 = mean of [0, 2]
    expect(phi.values[2]).toBeCloseTo(2, 12); // 3 − mean of [0, 2]
  });

  it('handles one varying group and none without a regression', () => {
    // Only feature 0 varies (background mean 0.5): φ0 = f(x) − E f(B) = 6 − 4 = 2.
    const one = planKernelShap([1, 2], [0, 2, 1, 2], { seed: 1 });
    expect(one.coalitions).toBe(0);
    expect(one.rows).toBe(3);
    expect(solveKernelShap(one, run(one.inputs, 2, linear([4, 1], 0)), 2, 1).values).toEqual([2, 0]);
    const none = planKernelShap([1, 2], [1, 2], { seed: 1 });
    expect(none.varying).toEqual([]);
    expect(solveKernelShap(none, run(none.inputs, 2, linear([4, 1], 0)), 2, 1).values).toEqual([0, 0]);
  });

  it('attributes feature groups as units (a one-hot group)', () => {
    // Groups {0}, {1, 2}, {3}: φ_group = Σ_{i in group} w_i·(x_i − mean_i).
    const groups = [[0], [1, 2], [3]];
    const plan = planKernelShap(x, background, { seed: 1, groups });
    expect(plan.exact).toBe(true);
    const phi = solveKernelShap(plan, run(plan.inputs, 4, linear(w, b)), 2, 1);
    expect(phi.values).toHaveLength(3);
    expect(phi.values[0]).toBeCloseTo(1, 9);
    expect(phi.values[1]).toBeCloseTo(-2 + 0.5, 9);
    expect(phi.values[2]).toBeCloseTo(-3, 9);
  });

  it('uses the default budget', () => {
    expect(k_default_coalitions).toBe(256);
    const plan = planKernelShap(
      Array.from({ length: 12 }, () => 1),
      Array.from({ length: 12 }, () => 0),
      { seed: 1 },
    );
    expect(plan.coalitions).toBe(256);
  });

  it('rejects bad inputs and outputs', () => {
    expect(() => planKernelShap([], [], { seed: 1 })).toThrow('no features');
    expect(() => planKernelShap([1, 2], [1, 2, 3], { seed: 1 })).toThrow('not whole rows');
    expect(() => planKernelShap([1, 2], [], { seed: 1 })).toThrow('at least one background row');
    expect(() => planKernelShap([1, Number.NaN], [1, 2], { seed: 1 })).toThrow('feature 1 of the explained row is NaN');
    expect(() => planKernelShap([1, 2], [1, 2, 3, Number.NaN], { seed: 1 })).toThrow(
      'background row 1 feature 1 is NaN',
    );
    expect(() => planKernelShap([1, 2], [0, 0], { seed: 1, coalitions: 0 })).toThrow('coalitions must be');
    const plan = planKernelShap(x, background, { seed: 1 });
    expect(() => solveKernelShap(plan, new Float64Array(10), 2, 1)).toThrow(`expected outputs for ${plan.rows} rows, got 5`);
    expect(() => solveKernelShap(plan, new Float64Array(plan.rows * 2), 2, 2)).toThrow('target must be an integer in [0, 1]');
    const nan = new Float64Array(plan.rows * 2).fill(Number.NaN);
    expect(() => solveKernelShap(plan, nan, 2, 1)).toThrow('output of row 0 is NaN');
  });
});

describe('checkGroups and featureGroupsFromNames', () => {
  it('requires a partition of the columns', () => {
    expect(checkGroups('t', undefined, 3)).toEqual([[0], [1], [2]]);
    expect(() => checkGroups('t', [[0], [1]], 3)).toThrow('column 2 is in no group');
    expect(() => checkGroups('t', [[0, 1], [1, 2]], 3)).toThrow('column 1 is in groups 0 and 1');
    expect(() => checkGroups('t', [[0, 3], [1, 2]], 3)).toThrow('group 0 names column 3, not in [0, 2]');
    expect(() => checkGroups('t', [[0, 1, 2], []], 3)).toThrow('group 1 is empty');
  });

  it('groups one-hot columns by the name before "="', () => {
    const names = [
      'education',
      'experience',
      'ethnicity=afam',
      'smsa=yes',
      'region=northeast',
      'region=midwest',
      'region=south',
      'region=west',
      'parttime=yes',
    ];
    expect(featureGroupsFromNames(names)).toEqual({
      names: ['education', 'experience', 'ethnicity', 'smsa', 'region', 'parttime'],
      groups: [[0], [1], [2], [3], [4, 5, 6, 7], [8]],
    });
  });
});

describe('planFeatureAblation + solveFeatureAblation', () => {
  it('replaces one group at a time with the background mean; exact on a linear model', () => {
    const plan = planFeatureAblation(x, background);
    expect([...plan.fill]).toEqual([0, 1, 2, 5]);
    expect(plan.rows).toBe(5);
    expect([...plan.inputs.subarray(4 * 2, 4 * 3)]).toEqual([1, 1, 3, 4]); // group 1 ablated
    const phi = solveFeatureAblation(plan, run(plan.inputs, 4, linear(w, b)), 2, 1);
    expect(phi.values).toEqual(expectedLinear);
    expect(phi).toMatchObject({ method: 'feature-ablation', target: 1, baseValue: null, coalitions: null });
  });

  it('ablates a group as a unit', () => {
    const plan = planFeatureAblation(x, background, { groups: [[0, 3], [1, 2]] });
    const phi = solveFeatureAblation(plan, run(plan.inputs, 4, linear(w, b)), 2, 1);
    expect(phi.values).toEqual([1 - 3, -2 + 0.5]);
  });

  it('rejects outputs of the wrong size', () => {
    const plan = planFeatureAblation(x, background);
    expect(() => solveFeatureAblation(plan, new Float64Array(8), 2, 1)).toThrow('expected outputs for 5 rows, got 4');
  });
});
