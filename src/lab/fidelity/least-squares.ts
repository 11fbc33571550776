/**
 * A small dense weighted least-squares solver for KernelSHAP's regression
 * (a few hundred rows, at most about a hundred unknowns).
 *
 * Method: normal equations XᵀWX·β = XᵀWy solved by Cholesky. Why not QR:
 * the KernelSHAP design is a 0/±1 matrix with well separated columns
 * whenever enough coalitions are drawn, so squaring its condition number
 * costs nothing visible, and Cholesky is a dozen lines.
 *
 * When the system is (nearly) singular, which happens when too few
 * coalitions were drawn to pin every feature down, a column adds almost
 * nothing its predecessors did not span and its pivot collapses. Then, and
 * only then, a small ridge λ = k_ridge_relative · mean(diag XᵀWX) is added
 * and the factorisation redone: the answer stays bounded (close to the
 * smallest-norm solution) instead of throwing or exploding, while
 * well-posed problems are solved without any bias.
 */

/**
 * A pivot below this fraction of its diagonal entry means the column is
 * (numerically) a combination of the earlier ones: 1/pivot-ratio is the
 * column's variance inflation, so 1e-10 tolerates conditioning up to ~1e10.
 */
export const k_min_pivot_relative = 1e-10;

/** Ridge for singular systems, relative to the mean diagonal of XᵀWX. */
export const k_ridge_relative = 1e-9;

/**
 * Solves min_β Σ_r w_r (y_r − x_r·β)² (with the small ridge only when singular).
 *
 * @param x rows × cols, row-major.
 * @param y one target per row.
 * @param w one non-negative weight per row.
 * @returns β, one value per column.
 * @throws RangeError on mismatched sizes or negative/non-finite weights;
 *   Error if the factorisation fails (only possible with non-finite data).
 */
export function weightedLeastSquares(
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  rows: number,
  cols: number,
): Float64Array {
  if (x.length !== rows * cols || y.length !== rows || w.length !== rows) {
    throw new RangeError(
      `weightedLeastSquares: expected x ${rows}×${cols}, y ${rows}, w ${rows}; got ${x.length}, ${y.length}, ${w.length}`,
    );
  }
  for (let r = 0; r < rows; r++) {
    const wr = w[r] ?? Number.NaN;
    if (!(wr >= 0 && Number.isFinite(wr))) {
      throw new RangeError(`weightedLeastSquares: weight ${r} must be finite and ≥ 0, got ${String(wr)}`);
    }
  }
  // A = XᵀWX (upper triangle, mirrored), b = XᵀWy.
  const a = new Float64Array(cols * cols);
  const b = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const wr = w[r] ?? 0;
    if (wr === 0) continue;
    const yr = y[r] ?? 0;
    const base = r * cols;
    for (let i = 0; i < cols; i++) {
      const xi = (x[base + i] ?? 0) * wr;
      if (xi === 0) continue;
      b[i] = (b[i] ?? 0) + xi * yr;
      for (let j = i; j < cols; j++) a[i * cols + j] = (a[i * cols + j] ?? 0) + xi * (x[base + j] ?? 0);
    }
  }
  let trace = 0;
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < i; j++) a[i * cols + j] = a[j * cols + i] ?? 0;
    trace += a[i * cols + i] ?? 0;
  }
  let l = choleskyFactor(a, cols, k_min_pivot_relative);
  if (l === null) {
    // A zero design (no weight anywhere) still gets a positive ridge.
    const ridge = k_ridge_relative * (trace > 0 ? trace / cols : 1);
    for (let i = 0; i < cols; i++) a[i * cols + i] = (a[i * cols + i] ?? 0) + ridge;
    l = choleskyFactor(a, cols, 0);
  }
  if (l === null) throw new Error('weightedLeastSquares: the normal equations could not be factored');
  return substitute(l, b, cols);
}

/**
 * Lower-triangular L with A = LLᵀ, or null when a pivot is not above
 * `minPivotRelative` times its diagonal entry of A (or not positive).
 */
function choleskyFactor(a: Float64Array, n: number, minPivotRelative: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const ajj = a[j * n + j] ?? 0;
    let d = ajj;
    for (let k = 0; k < j; k++) d -= (l[j * n + k] ?? 0) ** 2;
    if (!(d > 0) || d <= minPivotRelative * ajj) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] ?? 0) * (l[j * n + k] ?? 0);
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves LLᵀx = b: L·z = b, then Lᵀ·x = z. */
function substitute(l: Float64Array, b: Float64Array, n: number): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] ?? 0) * (z[k] ?? 0);
    z[i] = s / (l[i * n + i] ?? 1);
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i] ?? 0;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] ?? 0) * (out[k] ?? 0);
    out[i] = s / (l[i * n + i] ?? 1);
  }
  return out;
}

/**
 * Solves A·x = b for a symmetric positive-definite A (n × n, row-major) by
 * Cholesky factorisation A = LLᵀ and two triangular solves. A and b are
 * left untouched.
 *
 * @throws Error when A is not positive definite.
 */
export function solveCholesky(a: Float64Array, b: Float64Array, n: number): Float64Array {
  if (a.length !== n * n || b.length !== n) {
    throw new RangeError(`solveCholesky: expected A ${n}×${n} and b ${n}, got ${a.length} and ${b.length}`);
  }
  const l = choleskyFactor(a, n, 0);
  if (l === null) throw new Error('solveCholesky: the matrix is not positive definite');
  return substitute(l, b, n);
}
