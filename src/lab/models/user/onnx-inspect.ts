/**
 * Reading an ONNX file a user brings: decode it, tell a damaged file from a
 * file that is no model, find weights stored in a separate file (and take
 * them in when that file was given too), and check that every tensor holds
 * the bytes its shape says, before anything allocates from a shape.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { DataType, decodeModel, type ModelProto } from '../onnx-model-edit';
import { onnx } from '../onnx-proto-import';
import { UserInputError } from './user-model-error';

/** Bytes per element of each ONNX data type the lab can hold (strings have none). */
const k_element_bytes: Readonly<Record<number, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.UINT16]: 2,
  [DataType.INT16]: 2,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
  [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4,
  [DataType.UINT64]: 8,
  [DataType.BFLOAT16]: 2,
};

const k_type_names: Readonly<Record<number, string>> = {
  [DataType.FLOAT]: 'float32',
  [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8',
  [DataType.UINT16]: 'uint16',
  [DataType.INT16]: 'int16',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.STRING]: 'string',
  [DataType.BOOL]: 'bool',
  [DataType.FLOAT16]: 'float16',
  [DataType.DOUBLE]: 'float64',
  [DataType.UINT32]: 'uint32',
  [DataType.UINT64]: 'uint64',
  [DataType.BFLOAT16]: 'bfloat16',
};

export function onnxTypeName(type: number | null | undefined): string {
  return k_type_names[type ?? 0] ?? `ONNX type ${String(type)}`;
}

export function elementBytes(type: number | null | undefined): number | undefined {
  return k_element_bytes[type ?? 0];
}

/** Bytes at a known offset of files people pick by mistake, to say what a file is instead of "not protobuf". */
const k_signatures: readonly { what: string; at: number; bytes: readonly number[] }[] = [
  { what: 'a PNG image', at: 0, bytes: [0x89, 0x50, 0x4e, 0x47] },
  { what: 'a JPEG image', at: 0, bytes: [0xff, 0xd8, 0xff] },
  { what: 'a GIF image', at: 0, bytes: [0x47, 0x49, 0x46, 0x38] },
  { what: 'a PDF document', at: 0, bytes: [0x25, 0x50, 0x44, 0x46] },
  { what: 'a ZIP archive (a PyTorch .pt/.pth checkpoint or a Keras .keras file is one: export to ONNX first)', at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { what: 'an HDF5 file (a Keras .h5 model: convert it to TF.js or ONNX first)', at: 0, bytes: [0x89, 0x48, 0x44, 0x46] },
  { what: 'a gzip archive', at: 0, bytes: [0x1f, 0x8b] },
  { what: 'a TensorFlow Lite model (the lab reads ONNX and TF.js)', at: 4, bytes: [0x54, 0x46, 0x4c, 0x33] },
];

/** What a non-ONNX file looks like, when it is recognisable. */
export function recognise(bytes: Uint8Array): string | undefined {
  const known = k_signatures.find(({ at, bytes: sig }) => sig.every((b, i) => bytes[at + i] === b));
  if (known) return known.what;
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512)).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return 'JSON text (a TF.js model.json? pick it together with its weight files)';
  const printable = bytes.length > 0 && bytes.subarray(0, 512).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc0);
  if (printable) return head.includes(',') ? 'text, perhaps a CSV (data goes in the data field, not the model field)' : 'a text file';
  return undefined;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Files an ONNX model's external-data tensors point to (relative names, as written in the model). */
export function externalDataFiles(model: ModelProto): string[] {
  const files = new Set<string>();
  for (const tensor of allTensors(model)) {
    if (tensor.dataLocation !== onnxDataLocationExternal) continue;
    const location = tensor.externalData?.find((e) => e.key === 'location')?.value;
    if (location) files.add(location);
  }
  return [...files];
}

const onnxDataLocationExternal = onnx.TensorProto.DataLocation.EXTERNAL;

/** Initializers and Constant-node tensors, in the main graph and every subgraph. */
export function allTensors(model: ModelProto): OnnxTypes.ITensorProto[] {
  const out: OnnxTypes.ITensorProto[] = [];
  const visit = (graph: OnnxTypes.IGraphProto | null | undefined): void => {
    if (!graph) return;
    out.push(...(graph.initializer ?? []));
    for (const node of graph.node ?? []) {
      for (const a of node.attribute ?? []) {
        if (a.t) out.push(a.t);
        out.push(...(a.tensors ?? []));
        visit(a.g);
        for (const g of a.graphs ?? []) visit(g);
      }
    }
  };
  visit(model.graph);
  return out;
}

/** Moves each external tensor's bytes into the model (raw_data), from the files given beside it. */
function inlineExternalData(model: ModelProto, given: ReadonlyMap<string, Uint8Array>): void {
  for (const tensor of allTensors(model)) {
    if (tensor.dataLocation !== onnxDataLocationExternal) continue;
    const entry = (key: string) => tensor.externalData?.find((e) => e.key === key)?.value;
    const location = entry('location') ?? '';
    const file = given.get(location) ?? given.get(location.split('/').pop() ?? location);
    if (!file) throw new UserInputError('external-data', `Tensor "${tensor.name ?? ''}" keeps its data in "${location}", which was not given`);
    const offset = Number(entry('offset') ?? 0);
    const length = entry('length') === undefined ? file.byteLength - offset : Number(entry('length'));
    if (!(offset >= 0 && length >= 0 && offset + length <= file.byteLength)) {
      throw new UserInputError('corrupt', `Tensor "${tensor.name ?? ''}" reads bytes ${offset}–${offset + length} of "${location}", which has ${file.byteLength}`);
    }
    tensor.rawData = file.slice(offset, offset + length);
    tensor.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
    tensor.externalData = [];
  }
}

/** Checks every tensor's declared shape against the bytes it holds, so no later step trusts an absurd shape. */
function checkTensors(model: ModelProto, fileName: string): void {
  for (const tensor of allTensors(model)) {
    const dims = (tensor.dims ?? []).map(Number);
    const name = tensor.name ?? '(unnamed)';
    if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new UserInputError('corrupt', `${fileName}: tensor "${name}" has dimensions [${dims.join(', ')}]`);
    const count = product(dims);
    if (!Number.isSafeInteger(count)) throw new UserInputError('corrupt', `${fileName}: tensor "${name}" declares ${dims.join('×')} values`);
    const size = elementBytes(tensor.dataType);
    if (tensor.dataType === DataType.STRING || tensor.dataType === DataType.UNDEFINED) continue;
    if (size === undefined) throw new UserInputError('unsupported', `${fileName}: tensor "${name}" has type ${onnxTypeName(tensor.dataType)}, which the lab cannot hold`);
    const raw = tensor.rawData?.byteLength ?? 0;
    const typed = (tensor.floatData?.length ?? 0) + (tensor.int32Data?.length ?? 0) + (tensor.int64Data?.length ?? 0) + (tensor.doubleData?.length ?? 0) + (tensor.uint64Data?.length ?? 0);
    const held = raw > 0 ? raw / size : typed;
    if (held !== count) throw new UserInputError('corrupt', `${fileName}: tensor "${name}" declares ${dims.length === 0 ? 'a scalar' : dims.join('×')} (${count} values) but holds ${held}`);
  }
}

/**
 * Decodes the ONNX file `fileName` (plus any external-data files given beside it).
 * @throws UserInputError: corrupt, not-a-model or external-data, naming the file and what was found.
 */
export function decodeUserOnnx(bytes: Uint8Array, fileName: string, extraFiles: ReadonlyMap<string, Uint8Array> = new Map()): ModelProto {
  if (bytes.byteLength === 0) throw new UserInputError('not-a-model', `${fileName} is empty`);
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    const looks = recognise(bytes);
    if (looks) throw new UserInputError('not-a-model', `${fileName} is not an ONNX model: it looks like ${looks}`);
    const why = error instanceof Error ? error.message : String(error);
    throw new UserInputError('corrupt', `${fileName} is not a readable ONNX model (${why}): the file is damaged or truncated`);
  }
  const graph = model.graph;
  if (!graph || (graph.node ?? []).length === 0 || (graph.output ?? []).length === 0 || !model.irVersion) {
    const looks = recognise(bytes);
    throw new UserInputError(
      looks ? 'not-a-model' : 'corrupt',
      looks
        ? `${fileName} is not an ONNX model: it looks like ${looks}`
        : `${fileName} decodes as protobuf but holds no ONNX graph (${!model.irVersion ? 'no IR version' : !graph ? 'no graph' : (graph.node ?? []).length === 0 ? 'no nodes' : 'no outputs'}): it is damaged, or not an ONNX model`,
    );
  }
  const external = externalDataFiles(model);
  const missing = external.filter((f) => !extraFiles.has(f) && !extraFiles.has(f.split('/').pop() ?? f));
  if (missing.length > 0) {
    throw new UserInputError(
      'external-data',
      `${fileName} keeps its weights in a separate file: pick ${missing.map((f) => `"${f}"`).join(', ')} together with the model (ONNX external data)`,
    );
  }
  if (external.length > 0) inlineExternalData(model, extraFiles);
  checkTensors(model, fileName);
  return model;
}
