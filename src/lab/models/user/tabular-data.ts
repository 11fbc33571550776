/**
 * Rows a user brings as CSV, and the seeded random rows used when they bring
 * none. The CSV is read by papaparse; every value the model is fed is checked
 * here, so a bad cell is named by column and row before anything runs.
 */
import Papa from 'papaparse';
import { createRng } from '../../util/random';
import type { CsvMapping } from './intake-options';
import type { CardTensor } from './model-card';
import { UserInputError } from './user-model-error';

export interface CsvTable {
  fileName: string;
  header: string[];
  /** Data rows (header excluded), each with header.length cells. */
  rows: string[][];
}

/** Parses CSV text with a header row. @throws UserInputError (data) naming the line of a ragged or unreadable row. */
export function parseCsv(text: string, fileName: string): CsvTable {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  // With one column (or a tiny file) papaparse cannot detect the delimiter and falls back to a comma: not an error.
  const first = parsed.errors.find((e) => e.code !== 'UndetectableDelimiter');
  if (first) throw new UserInputError('data', `${fileName}: ${first.message}${first.row !== undefined ? ` (data row ${first.row}, line ${first.row + 1})` : ''}`);
  const [header, ...rows] = parsed.data;
  if (!header || header.length === 0) throw new UserInputError('data', `${fileName} is empty: it needs a header row naming the columns, then one row per example`);
  const names = header.map((h) => h.trim());
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UserInputError('data', `${fileName}: the header names column "${twice}" twice`);
  if (rows.length === 0) throw new UserInputError('data', `${fileName} has a header but no rows`);
  rows.forEach((row, i) => {
    if (row.length !== names.length) throw new UserInputError('data', `${fileName}: data row ${i + 1} (line ${i + 2}) has ${row.length} values, the header names ${names.length} columns`);
  });
  return { fileName, header: names, rows };
}

/** Rows read to judge a column's kind: enough to see its values, cheap on a large file. */
const k_guess_rows = 500;
/** A text column with at most this many distinct values reads as a group (a slice), not as free text. */
const k_slice_max_values = 20;
/** Names a label column usually has. */
const k_label_names = /^(label|target|y|class|outcome)$/i;

/** Names a row identifier usually has: never a feature. */
const k_id_names = /^(id|index|row|row_?id|unnamed: ?0)?$/i;

/**
 * A first mapping for the user to check, from the columns themselves.
 * Features: the numeric columns but an id and the label (the first
 * `inputWidth` of them when the model says how many values a row takes).
 * Label: a column named like one; else none when the numeric columns are
 * exactly what the model takes; else the last numeric column, or failing
 * that the first, when it holds two values (a 0/1 outcome); else none
 * (the user names it). Slices: text columns with a few distinct values.
 */
export function guessCsvMapping(table: CsvTable, inputs: readonly Pick<CardTensor, 'shape'>[] | null): CsvMapping {
  // [batch, width]: the model says how many values a row takes.
  const shape = inputs?.[0]?.shape;
  const last = shape && shape.length === 2 ? shape[1] : undefined;
  const inputWidth = typeof last === 'number' ? last : null;
  const sample = table.rows.slice(0, k_guess_rows);
  const values = (i: number) => sample.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
  const kinds = table.header.map((name, i) => {
    const vs = values(i);
    const numeric = vs.length > 0 && vs.every((v) => Number.isFinite(Number(v)));
    return { name, numeric, distinct: new Set(vs).size };
  });
  const numeric = kinds.filter((k) => k.numeric && !k_id_names.test(k.name));
  const binary = (k: (typeof kinds)[number] | undefined) => (k && k.distinct === 2 ? k.name : undefined);
  const label =
    kinds.find((k) => k_label_names.test(k.name))?.name ??
    (inputWidth !== null && numeric.length === inputWidth ? undefined : (binary(numeric.at(-1)) ?? binary(numeric[0])));
  const features = numeric.map((k) => k.name).filter((n) => n !== label);
  const slices = kinds.filter((k) => !k.numeric && k.name !== label && k.distinct >= 2 && k.distinct <= k_slice_max_values).map((k) => k.name);
  // Several inputs: which column feeds which is the user's to say, input by input.
  if (inputs && inputs.length > 1) return { features: {}, ...(label !== undefined ? { label } : {}), slices };
  return {
    features: inputWidth !== null && features.length > inputWidth ? features.slice(0, inputWidth) : features,
    ...(label !== undefined ? { label } : {}),
    slices,
  };
}

function columnIndex(table: CsvTable, column: string, role: string): number {
  const at = table.header.indexOf(column);
  if (at < 0) throw new UserInputError('data', `Column "${column}" (${role}) is not in ${table.fileName}; its columns are: ${table.header.join(', ')}`);
  return at;
}

/** One model input the CSV feeds: its name and how many values one example of it takes. */
export interface FeedSpec {
  name: string;
  values: number;
}

/** The feature columns in packed input order, checked against the model's inputs. @throws UserInputError (mapping). */
export function mappedColumns(mapping: CsvMapping, feeds: readonly FeedSpec[]): string[] {
  const total = feeds.reduce((n, f) => n + f.values, 0);
  let columns: string[];
  if (Array.isArray(mapping.features)) {
    if (feeds.length > 1) {
      throw new UserInputError('mapping', `The model has ${feeds.length} inputs (${feeds.map((f) => `"${f.name}": ${f.values} values`).join(', ')}): map columns to each input by name, not as one list`);
    }
    columns = mapping.features;
  } else {
    const byInput = mapping.features;
    const unknown = Object.keys(byInput).filter((k) => !feeds.some((f) => f.name === k));
    if (unknown.length > 0) throw new UserInputError('mapping', `The mapping names ${unknown.map((u) => `"${u}"`).join(', ')}, which the model has no input called (its inputs: ${feeds.map((f) => `"${f.name}"`).join(', ')})`);
    for (const feed of feeds) {
      const given = byInput[feed.name];
      if (!given || given.length === 0) throw new UserInputError('mapping', `Input "${feed.name}" has no columns in the mapping: every input needs its ${feed.values} column(s) (inputs: ${feeds.map((f) => `"${f.name}": ${f.values}`).join(', ')})`);
      if (given.length !== feed.values) throw new UserInputError('mapping', `Input "${feed.name}" takes ${feed.values} values per row; the mapping gives it ${given.length} column(s) (${given.join(', ')})`);
    }
    columns = feeds.flatMap((f) => byInput[f.name] ?? []);
  }
  if (columns.length !== total) {
    throw new UserInputError('mapping', `The model takes ${total} values per row${feeds.length === 1 ? ` (input "${feeds[0]?.name ?? ''}")` : ''}; the mapping gives ${columns.length} column(s): ${columns.join(', ')}`);
  }
  const twice = columns.find((c, i) => columns.indexOf(c) !== i);
  if (twice !== undefined) throw new UserInputError('mapping', `Column "${twice}" is mapped to the model twice`);
  const both = [mapping.label, ...mapping.slices].find((c) => c !== undefined && columns.includes(c));
  if (both !== undefined) throw new UserInputError('mapping', `Column "${both}" is both a feature and ${both === mapping.label ? 'the label' : 'a slice'}: a slice or label column is never fed to the model`);
  return columns;
}

const k_non_finite = /^[+-]?(nan|inf|infinity)$/i;

/** The feature values, rows × columns, float32. @throws UserInputError (data, non-finite) naming column and row. */
export function csvFeatures(table: CsvTable, columns: readonly string[]): Float32Array {
  const at = columns.map((c) => columnIndex(table, c, 'a feature'));
  const out = new Float32Array(table.rows.length * columns.length);
  table.rows.forEach((row, r) => {
    at.forEach((index, c) => {
      const text = (row[index] ?? '').trim();
      const value = Number(text);
      const where = `column "${columns[c] ?? ''}", data row ${r + 1} (line ${r + 2}) of ${table.fileName}`;
      if (k_non_finite.test(text) || (text !== '' && Number.isNaN(value) === false && !Number.isFinite(value))) {
        throw new UserInputError('non-finite', `${where} is ${text}: the model needs finite numbers (NaN and Infinity would make every engine's answer meaningless)`);
      }
      if (text === '' || Number.isNaN(value)) throw new UserInputError('data', `${where} is ${text === '' ? 'empty' : `"${text}"`}, not a number`);
      out[r * columns.length + c] = value;
    });
  });
  return out;
}

/** The text of slice columns. */
export function csvSlices(table: CsvTable, columns: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(columns.map((c) => {
    const at = columnIndex(table, c, 'a slice');
    return [c, table.rows.map((row) => (row[at] ?? '').trim())];
  }));
}

/**
 * Labels as class indices (output columns): the model's own class labels
 * where it declares them (ai.onnx.ml classlabels), else whole numbers 0 … classes − 1.
 * @throws UserInputError (data) naming the first value that is neither.
 */
export function csvLabels(table: CsvTable, column: string, classes: number, classLabels?: readonly (number | string)[]): Int32Array {
  const at = columnIndex(table, column, 'the label');
  const known = classLabels?.map(String);
  return Int32Array.from(table.rows, (row, r) => {
    const text = (row[at] ?? '').trim();
    const index = known ? known.indexOf(text) : Number(text);
    const valid = known ? index >= 0 : Number.isInteger(index) && index >= 0 && index < classes && text !== '';
    if (!valid) {
      const want = known ? `one of the model's class labels (${known.join(', ')})` : `a class index from 0 to ${classes - 1} (the model's output columns)`;
      throw new UserInputError('data', `Label column "${column}", data row ${r + 1} (line ${r + 2}) of ${table.fileName} is "${text}": it must be ${want}`);
    }
    return index;
  });
}

/**
 * Seeded random rows when the user brings no data: standard normal values
 * for float inputs, 0 or 1 for integer and boolean ones (safe as indices and
 * flags), so a rebuild with the same seed gives the same rows.
 */
export function randomRows(rows: number, feeds: readonly (FeedSpec & { type: string })[], seed: number): Float32Array {
  const rng = createRng(seed);
  const width = feeds.reduce((n, f) => n + f.values, 0);
  const out = new Float32Array(rows * width);
  const integer = feeds.flatMap((f) => Array.from({ length: f.values }, () => !/^float/.test(f.type)));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      if (integer[c]) {
        out[r * width + c] = rng() < 0.5 ? 0 : 1;
      } else {
        // Box–Muller; 1 − u keeps the logarithm finite.
        const u = 1 - rng();
        const v = rng();
        out[r * width + c] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      }
    }
  }
  return out;
}
