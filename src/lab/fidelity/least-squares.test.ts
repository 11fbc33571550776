import { describe, expect, it } from 'vitest';

import { solveCholesky, weightedLeastSquares } from './least-squares';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('solveCholesky', () => {
  it('solves a symmetric positive-definite system exactly', () => {
    // A = LLᵀ with L = [[2, 0], [1, √2]]; A⁻¹b = [0.5, 0].
    expect([...solveCholesky(f64([4, 2, 2, 3]), f64([2, 1]), 2)]).toEqual([0.5, 0]);
  });

  it('names the failing pivot of an indefinite matrix', () => {
    expect(() => solveCholesky(f64([1, 2, 2, 1]), f64([1, 1]), 2)).toThrow('not positive definite');
  });

  it('rejects mismatched sizes', () => {
    expect(() => solveCholesky(f64([1, 0, 0]), f64([1, 1]), 2)).toThrow(RangeError);
  });
});

describe('weightedLeastSquares', () => {
  it('matches the hand-solved weighted fit', () => {
    // Rows [1, t] for t = 0, 1, 2; y = [0, 2, 2]; w = [1, 1, 2].
    // XᵀWX = [[4, 5], [5, 9]], XᵀWy = [6, 10] → β = [4/11, 10/11].
    const beta = weightedLeastSquares(f64([1, 0, 1, 1, 1, 2]), f64([0, 2, 2]), f64([1, 1, 2]), 3, 2);
    expect(beta[0]).toBeCloseTo(4 / 11, 9);
    expect(beta[1]).toBeCloseTo(10 / 11, 9);
  });

  it('recovers an exact linear relation', () => {
    const x = f64([1, -1, 1, 0, 1, 3, 1, 5]);
    const y = f64([-1, 1, 7, 11]); // 1 + 2t
    const beta = weightedLeastSquares(x, y, f64([1, 2, 3, 4]), 4, 2);
    expect(beta[0]).toBeCloseTo(1, 9);
    expect(beta[1]).toBeCloseTo(2, 9);
  });

  it('stays finite on a rank-deficient design (the ridge picks the small-norm answer)', () => {
    const beta = weightedLeastSquares(f64([1, 1, 1, 1]), f64([2, 2]), f64([1, 1]), 2, 2);
    expect(beta[0]).toBeCloseTo(1, 6);
    expect(beta[1]).toBeCloseTo(1, 6);
  });

  it('rejects negative weights and mismatched sizes', () => {
    expect(() => weightedLeastSquares(f64([1]), f64([1]), f64([-1]), 1, 1)).toThrow('weight 0 must be finite and ≥ 0');
    expect(() => weightedLeastSquares(f64([1, 2]), f64([1]), f64([1]), 1, 1)).toThrow('expected x 1×1');
  });
});
