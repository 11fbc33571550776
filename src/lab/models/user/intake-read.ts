/**
 * Step one of taking in a user's model, fast and engine-free: tell which of
 * the picked files is the model, check its size against what this device
 * can hold, decode it, and write the model card. Problems that rule the
 * model out (an opset no engine reads, operators no engine has) are returned
 * beside the card, so the card still shows what the file is.
 */
import { sha256Hex } from '../model-fetch';
import type { ModelProto } from '../onnx-model-edit';
import type { ModelCard } from './model-card';
import { k_user_ml_opsets, k_user_opsets, onnxCard, opsetsOf } from './onnx-card';
import { decodeUserOnnx } from './onnx-inspect';
import { measuredGraph } from './onnx-measured-graph';
import { predictOnnxEngines } from './engine-predictions';
import { countModelFlops } from '../onnx-flops';
import { decodeModel } from '../onnx-model-edit';
import { readTfjsFiles, tfjsCard, type TfjsFiles } from './tfjs-inspect';
import { tfliteCard } from './tflite-inspect';
import { isTflite } from '../../tflite/tflite-read';
import type { ModelFormat } from '../model-formats';
import { UserInputError, type UserInputErrorData } from './user-model-error';
import { ENGINES } from '../../engines/engine-descriptors';

export interface PickedFile {
  /** The file's name (a relative path for folder picks). */
  name: string;
  bytes: Uint8Array;
}

export type ReadModel =
  | { format: 'onnx'; card: ModelCard; bytes: Uint8Array; model: ModelProto; problems: UserInputErrorData[] }
  | { format: 'tfjs'; card: ModelCard; files: TfjsFiles; problems: UserInputErrorData[] }
  | { format: 'tflite'; card: ModelCard; bytes: Uint8Array; problems: UserInputErrorData[] };

export interface SizeLimit {
  bytes: number;
  why: string;
}

/** Protobuf messages (ONNX files) cannot exceed 2 GiB. */
const k_protobuf_limit = 2 ** 31 - 1;
/** onnxruntime-web's and TF.js's wasm engines address 4 GiB (wasm32); the model lives there beside its session and activations. */
const k_wasm_limit = 2 ** 30;

/**
 * How large a model this device can take: a quarter of wasm's 4 GiB (the
 * engine holds the model bytes, its own copy of the weights and the
 * activations), at most 2 GiB (protobuf), and at most an eighth of the
 * device memory the browser reports (the page holds the file, its FP16 and
 * INT8 variants and one copy per cell's worker).
 */
export function userModelSizeLimit(deviceMemoryGiB?: number): SizeLimit {
  const device = deviceMemoryGiB ? (deviceMemoryGiB * 2 ** 30) / 8 : Infinity;
  const bytes = Math.min(k_protobuf_limit, k_wasm_limit, device);
  const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
  const why =
    bytes === device
      ? `this device reports ${deviceMemoryGiB} GiB of memory, and the page holds the model, its FP16 and INT8 variants and one copy per engine worker: an eighth of it, ${mib(bytes)}`
      : `onnxruntime-web and TF.js run in WebAssembly, which addresses 4 GiB; the engine holds the model, its own copy of the weights and the activations there: a quarter of it, ${mib(bytes)}`;
  return { bytes, why };
}

const lower = (name: string) => name.toLowerCase();
const baseName = (name: string) => name.split('/').pop() ?? name;

/** Which picked file is the model: one .onnx file, one .tflite file, or one model.json (the rest are its weight or external-data files). */
export function modelFileOf(files: readonly PickedFile[]): { model: PickedFile; format: ModelFormat } {
  if (files.length === 0) throw new UserInputError('not-a-model', 'No file was given');
  const tflite = files.filter((f) => lower(f.name).endsWith('.tflite') || (files.length === 1 && isTflite(f.bytes)));
  if (tflite.length > 1) throw new UserInputError('not-a-model', `Pick one model at a time: ${tflite.map((f) => f.name).join(', ')} are all TFLite files`);
  if (tflite.length === 1 && tflite[0]) {
    if (files.length > 1) throw new UserInputError('not-a-model', `A .tflite model is one file: pick ${tflite[0].name} alone`);
    return { model: tflite[0], format: 'tflite' };
  }
  const onnx = files.filter((f) => lower(f.name).endsWith('.onnx'));
  const json = files.filter((f) => lower(f.name).endsWith('.json'));
  if (onnx.length > 1) throw new UserInputError('not-a-model', `Pick one model at a time: ${onnx.map((f) => f.name).join(', ')} are all ONNX files`);
  if (onnx.length === 1 && onnx[0]) return { model: onnx[0], format: 'onnx' };
  if (json.length > 1) throw new UserInputError('not-a-model', `Pick one TF.js model.json with its weight files: ${json.map((f) => f.name).join(', ')} are all JSON`);
  if (json.length === 1 && json[0]) return { model: json[0], format: 'tfjs' };
  // No telling extension (a .pb, a file without one): read it as ONNX; the decoder names what it is otherwise.
  if (files.length === 1 && files[0]) return { model: files[0], format: 'onnx' };
  throw new UserInputError('not-a-model', `None of ${files.map((f) => f.name).join(', ')} is an ONNX file (.onnx), a TFLite file (.tflite) or a TF.js model.json`);
}

/** Problems that rule an ONNX model out: opsets outside what the engines read. */
function opsetProblems(model: ModelProto, fileName: string): UserInputErrorData[] {
  const problems: UserInputErrorData[] = [];
  for (const { domain, version } of opsetsOf(model)) {
    const range = domain === 'ai.onnx' ? k_user_opsets : domain === 'ai.onnx.ml' ? k_user_ml_opsets : undefined;
    if (range && (version < range.min || version > range.max)) {
      problems.push({ problem: 'opset', message: `${fileName} uses ${domain} opset ${version}; the lab's engines read opsets ${range.min}–${range.max}${version > range.max ? ' (re-export with a lower target opset)' : ' (convert it with onnx.version_converter to a newer opset)'}` });
    }
  }
  return problems;
}

/** What rules a .tflite file out before LiteRT sees it: the lab feeds one float32 input and reads a float32 output; LiteRT.js runs fixed shapes, the batch aside. */
function tfliteProblems(card: ModelCard): UserInputErrorData[] {
  const problems: UserInputErrorData[] = [];
  const [input] = card.inputs;
  if (card.inputs.length !== 1 || !input) problems.push({ problem: 'unsupported', message: `${card.fileName} has ${card.inputs.length} inputs; the lab feeds a model one float32 input` });
  else if (input.type !== 'float32') problems.push({ problem: 'unsupported', message: `Input "${input.name}" is ${input.type}; the lab feeds float32 (a full-integer .tflite with int8 input needs its QUANTIZE inside the file)` });
  const output = card.outputs[0];
  if (output && output.type !== 'float32') problems.push({ problem: 'unsupported', message: `Output "${output.name}" is ${output.type}; the lab reads float32 outputs` });
  for (const d of card.symbolicDims.filter((s) => s.role === 'needs-value')) {
    problems.push({ problem: 'unsupported', message: `${d.where.join(', ')} is unknown until run time; LiteRT.js runs the shapes a .tflite file states (the batch aside)` });
  }
  return problems;
}

/** Every engine predicted unable: name what each lacks. */
function enginesProblem(card: ModelCard): UserInputErrorData[] {
  if (card.engines.some((e) => e.verdict !== 'cannot')) return [];
  const lines = card.engines.map((e) => `${ENGINES[e.engine].label}: ${e.missing.join(', ')}`);
  return [{ problem: 'no-engine', message: `No engine of the lab can run ${card.fileName}: ${lines.join('; ')}` }];
}

/**
 * Reads the picked files into a model and its card.
 * @throws UserInputError when no model can be read at all (not a model, damaged, too large, weights missing).
 */
export async function readUserModel(files: readonly PickedFile[], limit: SizeLimit, dims: Readonly<Record<string, number>> = {}): Promise<ReadModel> {
  const { model: picked, format } = modelFileOf(files);
  const total = files.reduce((n, f) => n + f.bytes.byteLength, 0);
  if (total > limit.bytes) {
    throw new UserInputError('too-large', `${picked.name} and its files are ${(total / 2 ** 20).toFixed(1)} MiB; this device takes models up to ${(limit.bytes / 2 ** 20).toFixed(0)} MiB: ${limit.why}`);
  }
  const others = new Map(files.filter((f) => f !== picked).map((f) => [baseName(f.name), f.bytes]));
  if (format === 'onnx') {
    const model = decodeUserOnnx(picked.bytes, picked.name, others);
    const sha256 = await sha256Hex([picked.bytes]);
    const card = withMeasuredGraph(onnxCard({ model, bytes: picked.bytes, fileName: picked.name, sha256, dims }), picked.bytes, dims);
    return { format, card, bytes: picked.bytes, model, problems: [...opsetProblems(model, picked.name), ...enginesProblem(card)] };
  }
  if (format === 'tflite') {
    const card = tfliteCard(picked.bytes, picked.name, await sha256Hex([picked.bytes]));
    return { format, card, bytes: picked.bytes, problems: tfliteProblems(card) };
  }
  const tfjs = readTfjsFiles(picked.name, picked.bytes, others);
  const sha256 = await sha256Hex(tfjs.parts);
  const card = tfjsCard(tfjs, picked.name, sha256);
  return { format, card, files: tfjs, problems: enginesProblem(card) };
}

/**
 * Predictions and FLOPs for the graph the engines will run (ZipMap removed,
 * unread outputs pruned): what the lab changes is known before any data.
 * When the graph cannot be adapted yet (a dimension needs a value), the card
 * keeps the file's own.
 */
function withMeasuredGraph(card: ModelCard, bytes: Uint8Array, dims: Readonly<Record<string, number>>): ModelCard {
  let graph: ReturnType<typeof measuredGraph>;
  try {
    graph = measuredGraph(decodeModel(bytes), bytes, { dims });
  } catch {
    return card;
  }
  const measured = decodeModel(graph.bytes);
  return {
    ...card,
    engines: predictOnnxEngines(measured, graph.bytes),
    flops: countModelFlops(measured),
    measured: { input: graph.input.name, output: graph.output.name, outputShape: ['N', ...(graph.output.exampleDims ?? ['?']).map((d) => d ?? '?')], changes: graph.changes },
  };
}

/** The model id a user's model gets: stable for the same file, so a shared plan can name it. */
export function userModelId(sha256: string): string {
  return `user-${sha256.slice(0, 12)}`;
}
