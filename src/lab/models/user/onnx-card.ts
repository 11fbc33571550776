/**
 * The model card of an ONNX file: read from the decoded model alone (no
 * engine runs), so it appears as soon as the file is parsed.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { countModelFlops } from '../onnx-flops';
import type { ModelProto } from '../onnx-model-edit';
import { predictOnnxEngines } from './engine-predictions';
import type { CardDim, CardOperator, CardSymbolicDim, CardTensor, ModelCard } from './model-card';
import { allTensors, elementBytes, onnxTypeName } from './onnx-inspect';

/** The opsets of the default domain the lab accepts: what its engines and its importer read. */
export const k_user_opsets = Object.freeze({ min: 7, max: 21 });
/** ai.onnx.ml opsets onnxruntime-web 1.30 reads. */
export const k_user_ml_opsets = Object.freeze({ min: 1, max: 5 });

const isSymbolic = (dim: OnnxTypes.TensorShapeProto.IDimension): boolean => !Object.prototype.hasOwnProperty.call(dim, 'dimValue');

export function dimsOf(info: OnnxTypes.IValueInfoProto): CardDim[] | null {
  const shape = info.type?.tensorType?.shape;
  if (!shape) return null;
  return (shape.dim ?? []).map((d) => (isSymbolic(d) ? d.dimParam || '?' : Number(d.dimValue)));
}

/** A value's type in words: 'float32', or a structure such as 'seq(map(int64, float32))'. */
export function typeOf(type: OnnxTypes.ITypeProto | null | undefined): string {
  if (!type) return 'unknown';
  if (type.tensorType) return onnxTypeName(type.tensorType.elemType);
  if (type.sequenceType) return `seq(${typeOf(type.sequenceType.elemType)})`;
  if (type.mapType) return `map(${onnxTypeName(type.mapType.keyType)}, ${typeOf(type.mapType.valueType)})`;
  if (type.optionalType) return `optional(${typeOf(type.optionalType.elemType)})`;
  if (type.sparseTensorType) return `sparse ${onnxTypeName(type.sparseTensorType.elemType)}`;
  return 'unknown';
}

/** Graph inputs that are real inputs: IR < 4 files also list every initializer as an input. */
export function graphInputs(model: ModelProto): OnnxTypes.IValueInfoProto[] {
  const graph = model.graph;
  const initializers = new Set((graph?.initializer ?? []).map((t) => t.name ?? ''));
  return (graph?.input ?? []).filter((i) => !initializers.has(i.name ?? ''));
}

export function tensorOf(info: OnnxTypes.IValueInfoProto): CardTensor {
  return { name: info.name ?? '', type: typeOf(info.type), shape: dimsOf(info) };
}

function operators(model: ModelProto): CardOperator[] {
  const counts = new Map<string, CardOperator>();
  const visit = (graph: OnnxTypes.IGraphProto | null | undefined): void => {
    for (const node of graph?.node ?? []) {
      const key = `${node.domain ?? ''}::${node.opType ?? ''}`;
      const entry = counts.get(key) ?? { op: node.opType ?? '', domain: node.domain ?? '', count: 0 };
      entry.count += 1;
      counts.set(key, entry);
      for (const a of node.attribute ?? []) {
        visit(a.g);
        for (const g of a.graphs ?? []) visit(g);
      }
    }
  };
  visit(model.graph);
  return [...counts.values()].sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
}

function parameters(model: ModelProto): ModelCard['parameters'] {
  let count = 0;
  let bytes = 0;
  for (const tensor of allTensors(model)) {
    const n = (tensor.dims ?? []).map(Number).reduce((a, b) => a * b, 1);
    count += n;
    bytes += n * (elementBytes(tensor.dataType) ?? 0);
  }
  // ai.onnx.ml operators keep their weights (tree thresholds, coefficients) in attributes, not tensors.
  let attributeValues = 0;
  for (const node of model.graph?.node ?? []) {
    if (node.domain !== 'ai.onnx.ml') continue;
    for (const a of node.attribute ?? []) attributeValues += (a.floats?.length ?? 0) + (a.tensors?.length ?? 0);
  }
  count += attributeValues;
  bytes += attributeValues * 4;
  const note =
    attributeValues > 0
      ? `${(count - attributeValues).toLocaleString('en-US')} values in weight tensors and ${attributeValues.toLocaleString('en-US')} numbers in ai.onnx.ml attributes (thresholds, leaf weights, coefficients), counted as 4 bytes each`
      : 'values in weight tensors (initializers and constants)';
  return { count, bytes, note };
}

/** Symbolic dimensions of inputs and outputs: the first axis of an input is the batch; any other needs a value. */
export function symbolicDims(model: ModelProto, values: Readonly<Record<string, number>> = {}): CardSymbolicDim[] {
  const found = new Map<string, CardSymbolicDim>();
  const note = (info: OnnxTypes.IValueInfoProto, kind: 'input' | 'output') => {
    dimsOf(info)?.forEach((dim, axis) => {
      if (typeof dim !== 'string') return;
      const name = dim === '?' ? `${info.name ?? ''}[${axis}]` : dim;
      const entry = found.get(name) ?? { name, where: [], role: 'needs-value' as const };
      entry.where.push(`${kind} "${info.name ?? ''}" axis ${axis}`);
      if (axis === 0 && kind === 'input') entry.role = 'batch';
      found.set(name, entry);
    });
  };
  graphInputs(model).forEach((i) => note(i, 'input'));
  (model.graph?.output ?? []).forEach((o) => note(o, 'output'));
  // An output's first axis shares the batch's name in most exports; unnamed ones are the batch too.
  for (const entry of found.values()) {
    if (entry.role !== 'batch' && entry.where.every((w) => w.endsWith('axis 0'))) entry.role = 'batch';
    const value = values[entry.name];
    if (entry.role === 'needs-value' && value !== undefined) entry.value = value;
  }
  return [...found.values()];
}

export function opsetsOf(model: ModelProto): { domain: string; version: number }[] {
  return (model.opsetImport ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: Number(o.version ?? 0) }));
}

export interface OnnxCardInput {
  model: ModelProto;
  bytes: Uint8Array;
  fileName: string;
  sha256: string;
  dims?: Readonly<Record<string, number>>;
}

export function onnxCard({ model, bytes, fileName, sha256, dims = {} }: OnnxCardInput): ModelCard {
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ') || null;
  const symbolic = symbolicDims(model, dims);
  const open = symbolic.filter((d) => d.role === 'needs-value' && d.value === undefined);
  const flops = open.length > 0 ? { state: 'uncounted' as const, reason: `set a value for ${open.map((d) => `"${d.name}"`).join(', ')} first` } : countModelFlops(model);
  return {
    fileName,
    format: 'onnx',
    bytes: bytes.byteLength,
    sha256,
    producer,
    irVersion: model.irVersion ? Number(model.irVersion) : null,
    opsets: opsetsOf(model),
    inputs: graphInputs(model).map(tensorOf),
    outputs: (model.graph?.output ?? []).map(tensorOf),
    operators: operators(model),
    parameters: parameters(model),
    flops,
    engines: predictOnnxEngines(model, bytes),
    symbolicDims: symbolic,
    warnings: [],
  };
}
