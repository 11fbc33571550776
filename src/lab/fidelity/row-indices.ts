/**
 * Row-index sets, the currency of the fidelity core: a slice, a bootstrap
 * resample (a multiset: an index may repeat) or all rows is a Uint32Array of
 * row indices, and every metric aggregates over one.
 */

/** Indices 0..rows−1. */
export function rowIndices(rows: number): Uint32Array {
  const indices = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) indices[i] = i;
  return indices;
}

/**
 * Checks a non-empty index set against the row count, for the public
 * summaries (the per-resample metrics skip this: bootstraps only draw valid
 * indices).
 * @throws RangeError naming `what` on an empty set or an index ≥ rows.
 */
export function checkRowIndices(what: string, indices: Uint32Array, rows: number): void {
  if (indices.length === 0) throw new RangeError(`${what}: need at least one row`);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] ?? 0;
    if (i >= rows) throw new RangeError(`${what}: row index ${i} is out of range [0, ${rows - 1}]`);
  }
}
