/**
 * Golden inputs and outputs of a model, whichever form its manifest uses:
 * inline JSON rows (small models) or binary float32 files (image models, whose
 * rows are too big for JSON). Framework-free: the caller says how to fetch a
 * file relative to the manifest's folder (fetch in the browser, readFile in Node).
 */
import type { ModelFormat } from '../engines/engine';
import type { Precision } from '../engines/precision';
import { exampleSize, type ModelManifest } from './manifest';
import { referenceFor } from './variant-reference';

export interface GoldenData {
  rows: number;
  /** One flattened example per row, exactly the float32 values the reference runtime saw. */
  inputs: Float32Array[];
  /** The reference runtime's output for each row, flattened. */
  outputs: Float32Array[];
  /** Max |Δ| allowed against `outputs`, in the output's units. */
  tolerance: number;
  /** Why that tolerance (absent for FP32 references whose manifest states none). */
  toleranceNote?: string;
  computedBy: string;
  /** Whose outputs these are: `fp32` (the golden outputs) or one variant's graph as one format's cells read it. */
  reference: { precision: Precision; format?: ModelFormat; graph?: string };
}

/** Reads `relativePath` (relative to the manifest's folder) as bytes. */
export type FetchBytes = (relativePath: string) => Promise<ArrayBuffer>;

const k_little_endian_host = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Decodes little-endian float32 values (copying, so the result is aligned and independent of `bytes`). */
export function decodeFloat32LE(bytes: ArrayBuffer): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new RangeError(`float32 data must be a multiple of 4 bytes, got ${bytes.byteLength}`);
  if (k_little_endian_host) return new Float32Array(bytes.slice(0));
  const view = new DataView(bytes);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** Encodes float32 values little-endian (the golden file format). */
export function encodeFloat32LE(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/** Splits `data` into `rows` rows of `width` values (views into `data`). */
function splitRows(data: Float32Array, rows: number, width: number, what: string): Float32Array[] {
  if (data.length !== rows * width) {
    throw new Error(`${what} has ${data.length} float32 values; ${rows} rows × ${width} per example need ${rows * width}`);
  }
  return Array.from({ length: rows }, (_, r) => data.subarray(r * width, (r + 1) * width));
}

function widthOf(spec: ModelManifest['inputs'][number] | undefined, what: string): number {
  const width = spec === undefined ? undefined : exampleSize(spec);
  if (width === undefined) throw new Error(`The manifest's ${what} has no fixed example shape`);
  return width;
}

/**
 * Loads a manifest's golden rows as float32.
 *
 * Inline numbers are written as the shortest decimal of a float32, so
 * `Float32Array.from` recovers the exact values. Binary files are checked
 * against `rows` and the tensor shapes.
 * @throws Error when a file cannot be fetched or has the wrong size.
 */
export async function loadGolden(manifest: ModelManifest, fetchBytes: FetchBytes): Promise<GoldenData> {
  const { golden } = manifest;
  const common = {
    rows: golden.rows,
    tolerance: golden.tolerance,
    ...(golden.toleranceNote ? { toleranceNote: golden.toleranceNote } : {}),
    computedBy: golden.computedBy,
    reference: { precision: 'fp32' as const },
  };
  const rowsOf = (rows: number[][] | undefined): Float32Array[] => (rows ?? []).map((row) => Float32Array.from(row));
  if (golden.file === undefined) return { ...common, inputs: rowsOf(golden.inputs), outputs: rowsOf(golden.outputs) };
  const inputWidth = widthOf(manifest.inputs[0], 'input');
  const outputWidth = widthOf(manifest.outputs[0], 'output');
  const { inputs: inputsPath, outputs: outputsPath } = golden.file;
  const [inputBytes, outputBytes] = await Promise.all([fetchBytes(inputsPath), fetchBytes(outputsPath)]);
  return {
    ...common,
    inputs: splitRows(decodeFloat32LE(inputBytes), golden.rows, inputWidth, `Golden inputs ${inputsPath}`),
    outputs: splitRows(decodeFloat32LE(outputBytes), golden.rows, outputWidth, `Golden outputs ${outputsPath}`),
  };
}

/**
 * The golden inputs with the outputs a cell of this precision and format is
 * checked against: FP32's golden outputs for fp32, else the variant's own
 * native reference ({@link referenceFor}), with its tolerance.
 * @throws Error when the manifest ships no reference for this variant and format, or a file is missing or the wrong size.
 */
export async function loadCellGolden(manifest: ModelManifest, precision: Precision, format: ModelFormat, fetchBytes: FetchBytes): Promise<GoldenData> {
  const base = await loadGolden(manifest, fetchBytes);
  if (precision === 'fp32') return base;
  const ref = referenceFor(manifest, precision, format);
  const outputWidth = widthOf(manifest.outputs[0], 'output');
  let outputs: Float32Array[];
  if (ref.file !== undefined) {
    outputs = splitRows(decodeFloat32LE(await fetchBytes(ref.file.path)), base.rows, outputWidth, `Reference outputs ${ref.file.path}`);
  } else {
    outputs = (ref.outputs ?? []).map((row) => Float32Array.from(row));
    if (outputs.length !== base.rows || outputs.some((row) => row.length !== outputWidth)) {
      throw new Error(`The ${precision} ${format} reference has ${outputs.length} rows; ${base.rows} rows × ${outputWidth} values expected`);
    }
  }
  return {
    rows: base.rows,
    inputs: base.inputs,
    outputs,
    tolerance: ref.tolerance,
    toleranceNote: ref.toleranceNote,
    computedBy: ref.computedBy,
    reference: { precision, format, graph: ref.graph },
  };
}
