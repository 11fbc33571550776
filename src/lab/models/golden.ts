/**
 * Golden inputs and outputs of a model, whichever form its manifest uses:
 * inline JSON rows (small models) or binary float32 files (image models, whose
 * rows are too big for JSON). Framework-free: the caller says how to fetch a
 * file relative to the manifest's folder (fetch in the browser, readFile in Node).
 */
import { exampleSize, type ModelManifest } from './manifest';

export interface GoldenData {
  rows: number;
  /** One flattened example per row, exactly the float32 values the reference runtime saw. */
  inputs: Float32Array[];
  /** The reference runtime's output for each row, flattened. */
  outputs: Float32Array[];
  /** Max |Δ| allowed against `outputs`, in the output's units. */
  tolerance: number;
  computedBy: string;
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
  const common = { rows: golden.rows, tolerance: golden.tolerance, computedBy: golden.computedBy };
  if (golden.file === undefined) {
    const rowsOf = (rows: number[][] | undefined): Float32Array[] => (rows ?? []).map((row) => Float32Array.from(row));
    return { ...common, inputs: rowsOf(golden.inputs), outputs: rowsOf(golden.outputs) };
  }
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
