/**
 * Reading a TF.js model a user brings: model.json (layers or graph format)
 * picked together with the weight files it names. Checks that every weight
 * file is there and holds the bytes the weights manifest says, then reads the
 * card's facts from the JSON (no TF.js needed).
 */
import { concatBytes, tfjsWeightPaths } from '../model-fetch';
import type { CardDim, CardOperator, CardTensor, ModelCard } from './model-card';
import { predictTfjsEngines } from './engine-predictions';
import { isGraphModel } from './reference-engine';
import { UserInputError } from './user-model-error';

interface WeightEntry {
  name?: string;
  shape?: number[];
  dtype?: string;
  quantization?: { dtype?: string };
}

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology?: Record<string, unknown>;
  weightsManifest?: { paths?: string[]; weights?: WeightEntry[] }[];
  signature?: { inputs?: Record<string, SignatureEntry>; outputs?: Record<string, SignatureEntry> };
}

interface SignatureEntry {
  name?: string;
  dtype?: string;
  tensorShape?: { dim?: { size?: string | number }[] };
}

export interface TfjsFiles {
  modelJson: ModelJson;
  /** model.json's bytes, then each weight file's, in weights-manifest order (what the SHA-256 covers). */
  parts: Uint8Array[];
  weightData: ArrayBuffer;
}

const k_dtype_bytes: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, int8: 1, int16: 2 };

/** Reads model.json and its weight files from the files picked (matched by base name). */
export function readTfjsFiles(jsonName: string, jsonBytes: Uint8Array, picked: ReadonlyMap<string, Uint8Array>): TfjsFiles {
  let json: ModelJson;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes)) as ModelJson;
  } catch (error) {
    throw new UserInputError('corrupt', `${jsonName} is not valid JSON (${error instanceof Error ? error.message : String(error)}): the file is damaged or truncated`);
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new UserInputError('not-a-model', `${jsonName} is JSON but not a TF.js model: it has no "modelTopology" (a TF.js model.json has "modelTopology" and "weightsManifest")`);
  }
  if (!Array.isArray(json.weightsManifest)) throw new UserInputError('corrupt', `${jsonName} has no "weightsManifest" list: TF.js cannot find its weights`);
  const paths = tfjsWeightPaths(json);
  const missing = paths.filter((p) => !picked.has(p.split('/').pop() ?? p));
  if (missing.length > 0) throw new UserInputError('external-data', `${jsonName} keeps its weights in ${missing.map((m) => `"${m}"`).join(', ')}: pick ${missing.length === 1 ? 'it' : 'them'} together with model.json`);
  const weights = paths.map((p) => picked.get(p.split('/').pop() ?? p) as Uint8Array);
  const expected = json.weightsManifest.flatMap((g) => g.weights ?? []).reduce((n, w) => {
    const count = (w.shape ?? []).reduce((a, b) => a * b, 1);
    const bytes = k_dtype_bytes[w.quantization?.dtype ?? w.dtype ?? 'float32'];
    if (bytes === undefined || !Number.isSafeInteger(count) || count < 0) throw new UserInputError('corrupt', `${jsonName}: weight "${w.name ?? '?'}" has shape [${(w.shape ?? []).join(', ')}] and type ${w.quantization?.dtype ?? w.dtype ?? '?'}`);
    return n + count * bytes;
  }, 0);
  const held = weights.reduce((n, w) => n + w.byteLength, 0);
  if (held !== expected) throw new UserInputError('corrupt', `${jsonName}'s weights manifest describes ${expected} bytes of weights; the weight file(s) hold ${held}: a file is damaged, truncated or from another model`);
  const all = concatBytes(weights);
  return { modelJson: json, parts: [jsonBytes, ...weights], weightData: all.buffer };
}

function signatureTensors(entries: Record<string, SignatureEntry> | undefined): CardTensor[] | undefined {
  if (!entries) return undefined;
  return Object.values(entries).map((e) => ({
    name: (e.name ?? '').replace(/:0$/, ''),
    type: (e.dtype ?? 'DT_FLOAT').replace(/^DT_/, '').toLowerCase().replace(/^float$/, 'float32'),
    shape: e.tensorShape?.dim ? e.tensorShape.dim.map((d, i): CardDim => (Number(d.size) < 0 ? (i === 0 ? 'batch' : '?') : Number(d.size))) : null,
  }));
}

interface LayerJson {
  class_name?: string;
  name?: string;
  config?: { name?: string; batch_input_shape?: (number | null)[]; batchInputShape?: (number | null)[]; layers?: LayerJson[]; input_layers?: unknown[]; output_layers?: unknown[] };
}

function layersConfig(json: ModelJson): LayerJson {
  const topology = json.modelTopology as { model_config?: LayerJson } & LayerJson;
  return topology.model_config ?? topology;
}

function layersIo(json: ModelJson): { inputs: CardTensor[]; outputs: CardTensor[] } {
  const config = layersConfig(json);
  const layers = config.config?.layers ?? [];
  const inputNames = (config.config?.input_layers ?? []).map((l) => (Array.isArray(l) ? String(l[0]) : String(l)));
  const inputLayers = inputNames.length > 0 ? layers.filter((l) => inputNames.includes(l.config?.name ?? l.name ?? '')) : layers.slice(0, 1);
  const inputs = inputLayers.map((l) => {
    const shape = l.config?.batch_input_shape ?? l.config?.batchInputShape;
    return { name: l.config?.name ?? l.name ?? 'input', type: 'float32', shape: shape ? shape.map((d, i): CardDim => (d === null ? (i === 0 ? 'batch' : '?') : d)) : null };
  });
  const outputNames = (config.config?.output_layers ?? []).map((l) => (Array.isArray(l) ? String(l[0]) : String(l)));
  const last = layers[layers.length - 1];
  const outputs = (outputNames.length > 0 ? outputNames : [last?.config?.name ?? last?.name ?? 'output']).map((name) => ({ name, type: 'float32', shape: null }));
  return { inputs, outputs };
}

function graphIo(json: ModelJson): { inputs: CardTensor[]; outputs: CardTensor[] } {
  const nodes = ((json.modelTopology as { node?: { name?: string; op?: string; input?: string[]; attr?: { shape?: { shape?: { dim?: { size?: string }[] } } } }[] }).node ?? []);
  const fromSignature = { inputs: signatureTensors(json.signature?.inputs), outputs: signatureTensors(json.signature?.outputs) };
  const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map((i) => i.replace(/^\^/, '').split(':')[0])));
  const inputs = fromSignature.inputs ?? nodes.filter((n) => n.op === 'Placeholder').map((n) => ({
    name: n.name ?? '',
    type: 'float32',
    shape: n.attr?.shape?.shape?.dim ? n.attr.shape.shape.dim.map((d, i): CardDim => (Number(d.size) < 0 ? (i === 0 ? 'batch' : '?') : Number(d.size))) : null,
  }));
  const outputs = fromSignature.outputs ?? nodes.filter((n) => n.op !== 'Const' && n.op !== 'Placeholder' && !consumed.has(n.name ?? '')).map((n) => ({ name: n.name ?? '', type: 'float32', shape: null }));
  return { inputs, outputs };
}

function operators(json: ModelJson): CardOperator[] {
  const counts = new Map<string, number>();
  if (isGraphModel(json)) {
    for (const node of (json.modelTopology as { node?: { op?: string }[] }).node ?? []) counts.set(node.op ?? '?', (counts.get(node.op ?? '?') ?? 0) + 1);
  } else {
    for (const layer of layersConfig(json).config?.layers ?? []) counts.set(layer.class_name ?? '?', (counts.get(layer.class_name ?? '?') ?? 0) + 1);
  }
  return [...counts.entries()].map(([op, count]) => ({ op, domain: isGraphModel(json) ? 'tf' : 'layers', count })).sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
}

export function tfjsCard(files: TfjsFiles, fileName: string, sha256: string): ModelCard {
  const json = files.modelJson;
  const graph = isGraphModel(json);
  const io = graph ? graphIo(json) : layersIo(json);
  const weights = (json.weightsManifest ?? []).flatMap((g) => g.weights ?? []);
  const count = weights.reduce((n, w) => n + (w.shape ?? []).reduce((a, b) => a * b, 1), 0);
  const subformat = graph ? 'graph-model' : 'layers-model';
  return {
    fileName,
    format: 'tfjs',
    subformat,
    bytes: files.parts.reduce((n, p) => n + p.byteLength, 0),
    sha256,
    producer: [json.generatedBy, json.convertedBy].filter(Boolean).join('; ') || null,
    irVersion: null,
    opsets: [],
    inputs: io.inputs,
    outputs: io.outputs,
    operators: operators(json),
    parameters: { count, bytes: files.weightData.byteLength, note: 'values in the weights manifest (bytes as stored, quantized weights included)' },
    flops: { state: 'uncounted', reason: 'FLOPs are counted from ONNX graphs; this is a TF.js model' },
    engines: predictTfjsEngines(subformat),
    symbolicDims: io.inputs.flatMap((t) => (t.shape ?? []).flatMap((d, axis) => (typeof d === 'string' ? [{ name: d === 'batch' ? 'batch' : `${t.name}[${axis}]`, where: [`input "${t.name}" axis ${axis}`], role: axis === 0 ? ('batch' as const) : ('needs-value' as const) }] : []))),
    warnings: [],
  };
}
