/**
 * Slices: groups of evaluation rows that share the values of one slice column
 * ("ethnicity=afam") or of several ("ethnicity=afam & region=south").
 *
 * Every later computation (per-slice metrics, stratified bootstraps, drift per
 * slice) works on the row indices made here, so they are typed arrays,
 * ascending, and nothing is dropped: a row whose slice value is missing lands
 * in a "(missing)" slice rather than vanishing from the per-slice view, and
 * the slice counts always add up to the number of rows.
 */

import { rowIndices } from './row-indices';

/** A raw slice value as it comes from the evaluation data. */
export type SliceColumnValue = string | number | boolean | null | undefined;

/** Slice columns by name; every column has one value per evaluation row. */
export type SliceColumns = Readonly<Record<string, readonly SliceColumnValue[]>>;

/** One column's value within a slice. */
export interface SlicePart {
  readonly column: string;
  readonly value: string;
}

/** A slice and the rows in it. */
export interface SliceGroup {
  /** Display and lookup name: parts joined by k_slice_part_separator, or k_all_slice. */
  readonly slice: string;
  /** One part per grouping column, in the order the columns were given; [] for "all". */
  readonly parts: readonly SlicePart[];
  /** Row indices in ascending order (the order of the evaluation data). */
  readonly indices: Uint32Array;
  readonly n: number;
}

/** Name of the slice holding every row. */
export const k_all_slice = 'all';

/** The value shown for null, undefined or empty-string slice values. */
export const k_missing_slice_value = '(missing)';

/** Between the parts of an intersection: "ethnicity=afam & region=south". */
export const k_slice_part_separator = ' & ';

/** Between a column and its value: "region=south". */
export const k_slice_value_separator = '=';

/** Joins a slice's parts into its name, e.g. "ethnicity=afam & region=south". */
export function sliceName(parts: readonly SlicePart[]): string {
  if (parts.length === 0) return k_all_slice;
  return parts.map((p) => `${p.column}${k_slice_value_separator}${p.value}`).join(k_slice_part_separator);
}

/** The slice of all `rows` rows, indices 0..rows-1. */
export function allRowsSlice(rows: number): SliceGroup {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new RangeError(`allRowsSlice: rows must be a non-negative integer, got ${String(rows)}`);
  }
  return { slice: k_all_slice, parts: [], indices: rowIndices(rows), n: rows };
}

/** A raw value as the string that names it in a slice. */
function sliceValueText(value: SliceColumnValue): string {
  if (value === null || value === undefined || value === '') return k_missing_slice_value;
  return String(value);
}

/**
 * Orders slice values by UTF-16 code units (not the locale, so the order is
 * the same on every device), with the missing value last.
 */
function compareValues(a: string, b: string): number {
  if (a === b) return 0;
  if (a === k_missing_slice_value) return 1;
  if (b === k_missing_slice_value) return -1;
  return a < b ? -1 : 1;
}

/**
 * Groups rows by the values of one or more slice columns; with two columns,
 * each group is an intersection such as "ethnicity=afam & region=south".
 *
 * Only combinations that occur in the data get a group, so no group is
 * empty. Groups are ordered by their values, column by column (code-unit
 * order, missing last), so the same data gives the same order whatever the
 * row order, and two results files line up slice by slice. Numbers and
 * booleans are grouped by their string form. Within a group, indices ascend.
 *
 * @throws RangeError when `by` is empty or names a duplicate or unknown
 *   column (the error lists the known ones), or when the columns' lengths
 *   differ.
 */
export function groupBySlices(columns: SliceColumns, by: readonly string[]): SliceGroup[] {
  if (by.length === 0) {
    throw new RangeError('groupBySlices: need at least one slice column; use allRowsSlice for all rows');
  }
  if (new Set(by).size !== by.length) {
    throw new RangeError(`groupBySlices: slice columns must differ, got ${JSON.stringify(by)}`);
  }
  const known = Object.keys(columns);
  const selected = by.map((name) => {
    const values = Object.hasOwn(columns, name) ? columns[name] : undefined;
    if (values === undefined) {
      throw new RangeError(
        `groupBySlices: unknown slice column "${name}". Should be one of: ${known.map((k) => `"${k}"`).join(', ')}`,
      );
    }
    return values;
  });
  const rows = selected[0]?.length ?? 0;
  selected.forEach((values, c) => {
    if (values.length !== rows) {
      throw new RangeError(
        `groupBySlices: column "${by[c] ?? ''}" has ${values.length} values, "${by[0] ?? ''}" has ${rows}`,
      );
    }
  });

  // One pass over the rows; the key joins the value texts with a character
  // that cannot appear in a sensible slice value, so "a|b" never collides.
  const groups = new Map<string, { values: string[]; rows: number[] }>();
  for (let r = 0; r < rows; r++) {
    const values = selected.map((column) => sliceValueText(column[r]));
    const key = values.join('\u0000');
    let group = groups.get(key);
    if (group === undefined) {
      group = { values, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(r);
  }

  const ordered = [...groups.values()].sort((a, b) => {
    for (let c = 0; c < a.values.length; c++) {
      const order = compareValues(a.values[c] ?? '', b.values[c] ?? '');
      if (order !== 0) return order;
    }
    return 0;
  });
  return ordered.map((group) => {
    const parts = group.values.map((value, c) => ({ column: by[c] ?? '', value }));
    return { slice: sliceName(parts), parts, indices: Uint32Array.from(group.rows), n: group.rows.length };
  });
}
