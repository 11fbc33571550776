import type { Agreement } from '../results/results';

/** Compares outputs row by row with the golden ones: max/mean |Δ| and arg-max flips. */
export function compareWithGolden(
  actual: Float32Array,
  golden: readonly ArrayLike<number>[],
  tolerance: number,
  batchSize: number,
): Agreement {
  const width = golden[0]?.length ?? 0;
  if (actual.length !== golden.length * width) {
    throw new RangeError(`Expected ${golden.length}×${width} outputs, got ${actual.length} values`);
  }
  let maxAbsDiff = 0;
  let sumAbsDiff = 0;
  let top1Mismatches = 0;
  golden.forEach((row, r) => {
    let goldenArgMax = 0;
    let actualArgMax = 0;
    for (let c = 0; c < row.length; c += 1) {
      const expected = row[c] ?? Number.NaN;
      const value = actual[r * width + c] ?? Number.NaN;
      // NaN must fail the check, so compare with a negated <=.
      const diff = Math.abs(value - expected);
      const d = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
      maxAbsDiff = Math.max(maxAbsDiff, d);
      sumAbsDiff += d;
      if (expected > (row[goldenArgMax] ?? -Infinity)) goldenArgMax = c;
      if (value > (actual[r * width + actualArgMax] ?? -Infinity)) actualArgMax = c;
    }
    if (goldenArgMax !== actualArgMax) top1Mismatches += 1;
  });
  return {
    rows: golden.length,
    tolerance,
    maxAbsDiff,
    meanAbsDiff: golden.length * width > 0 ? sumAbsDiff / (golden.length * width) : 0,
    top1Mismatches,
    batchSize,
  };
}

export function agrees(a: Agreement): boolean {
  return a.maxAbsDiff <= a.tolerance;
}

/** Rows [start, start+batch) of `rows`, flattened; a short last batch is padded by repeating rows. */
export function batchOf(rows: readonly ArrayLike<number>[], start: number, batch: number): Float32Array {
  const width = rows[0]?.length ?? 0;
  const out = new Float32Array(batch * width);
  for (let i = 0; i < batch; i += 1) {
    const row = rows[(start + i) % rows.length] ?? [];
    out.set(row, i * width);
  }
  return out;
}
