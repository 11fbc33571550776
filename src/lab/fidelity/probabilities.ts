/**
 * Reading rows of class probabilities out of flat arrays.
 *
 * Engines hand back one flat array (rows × classes, row-major), usually a
 * Float32Array. Every fidelity metric reads the same two things from a row,
 * its top-1 class and its top-1 confidence, so both are defined once here.
 *
 * A model with a single sigmoid output (classes = 1) is read as the binary
 * pair [1 − p, p], so it behaves exactly like a two-column softmax.
 */

/** Numbers a metric can read: Float32Array, Float64Array or number[]. */
export type Numbers = ArrayLike<number>;

/**
 * Checks that `values` holds whole rows of `classes` numbers and returns
 * the row count.
 *
 * @throws RangeError naming `what` when `classes` is not a positive integer
 *   or the length is not a multiple of it.
 */
export function rowCount(what: string, values: Numbers, classes: number): number {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`${what}: classes must be a positive integer, got ${String(classes)}`);
  }
  if (values.length % classes !== 0) {
    throw new RangeError(`${what}: ${values.length} values are not whole rows of ${classes} classes`);
  }
  return values.length / classes;
}

/**
 * Top-1 class of row `row`. Ties go to the lowest class index (what
 * numpy's argmax and onnxruntime's ArgMax do), so identical rows always
 * agree. NaN never wins a comparison; a row of NaN gives class 0.
 */
export function topClass(values: Numbers, row: number, classes: number): number {
  if (classes === 1) return (values[row] ?? Number.NaN) > 0.5 ? 1 : 0;
  const offset = row * classes;
  let best = 0;
  let bestValue = values[offset] ?? Number.NaN;
  for (let c = 1; c < classes; c++) {
    const v = values[offset + c] ?? Number.NaN;
    if (v > bestValue || (Number.isNaN(bestValue) && !Number.isNaN(v))) {
      best = c;
      bestValue = v;
    }
  }
  return best;
}

/** Top-1 probability of row `row` (max(p, 1 − p) for a single sigmoid output). */
export function topProbability(values: Numbers, row: number, classes: number): number {
  if (classes === 1) {
    const p = values[row] ?? Number.NaN;
    return Math.max(p, 1 - p);
  }
  return values[row * classes + topClass(values, row, classes)] ?? Number.NaN;
}

/** Probability of `target` in row `row` (for classes = 1: p when target is 1, 1 − p when 0). */
export function classProbability(values: Numbers, row: number, classes: number, target: number): number {
  if (classes === 1) {
    const p = values[row] ?? Number.NaN;
    return target === 1 ? p : 1 - p;
  }
  return values[row * classes + target] ?? Number.NaN;
}

/**
 * Checks an output index against the output width.
 * @throws RangeError naming the valid range.
 */
export function checkTarget(what: string, target: number, classes: number): void {
  const count = classes === 1 ? 2 : classes;
  if (!Number.isInteger(target) || target < 0 || target >= count) {
    throw new RangeError(`${what}: target must be an integer in [0, ${count - 1}], got ${String(target)}`);
  }
}
