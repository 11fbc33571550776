/**
 * An ONNX model as the .tflite exporter reads it: nodes in order with their
 * attributes, constants (initializers and Constant nodes) decoded to float32
 * or integers, and the graph's one float input and output. Float16 constants
 * read through `Cast(to=FLOAT)` (the lab's FP16-storage variant) are kept as
 * float16 constants, so the export stores them as float16 too.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../models/onnx-proto-import';
import { NodeAttributes } from '../onnx-import/attributes';
import { decodeTensor, ElemType, toNumber } from '../onnx-import/onnx-tensors';
import { TfliteExportError, type TfliteMissing } from './export-errors';

export interface SourceConst {
  dims: number[];
  /** Float values (exact for float16 constants). */
  values: Float32Array;
  /** Integer values exactly (shapes, axes, pads), for integer constants. */
  ints?: number[];
  /** Stored as float16 in the ONNX file and read through a Cast to float32. */
  float16: boolean;
}

export interface SourceNode {
  opType: string;
  name: string;
  /** '' for optional inputs left out. */
  inputs: string[];
  outputs: string[];
  attrs: NodeAttributes;
}

export interface SourceGraph {
  opset: number;
  input: { name: string; dims: (number | null)[] };
  output: string;
  consts: Map<string, SourceConst>;
  nodes: SourceNode[];
  /** How many nodes read each value (fusing an activation into its producer needs a single reader). */
  readers: Map<string, number>;
}

function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new TfliteExportError([{ op: '(model)', reason: 'not a readable ONNX file' }], `not a readable ONNX model (${error instanceof Error ? error.message : String(error)})`);
  }
}

function toConst(t: OnnxTypes.ITensorProto): SourceConst {
  const host = decodeTensor(t);
  const values = host.data instanceof Float32Array ? host.data : Float32Array.from(host.data);
  const ints = host.dtype === 'int32' ? (host.wide ?? Array.from(host.data)) : undefined;
  return { dims: host.dims, values, ...(ints ? { ints } : {}), float16: host.onnxType === ElemType.FLOAT16 };
}

/** Reads the graph; throws TfliteExportError for what is not a single-input, single-output float graph. */
export function readOnnxSource(bytes: Uint8Array): SourceGraph {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw new TfliteExportError([{ op: '(model)', reason: 'no graph' }]);
  const opset = toNumber((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const consts = new Map<string, SourceConst>();
  const missing: TfliteMissing[] = [];
  for (const t of graph.initializer ?? []) {
    try {
      consts.set(t.name ?? '', toConst(t));
    } catch {
      missing.push({ op: '(initializer)', reason: `"${t.name ?? ''}" has a data type the exporter cannot read` });
    }
  }
  const nodes: SourceNode[] = [];
  for (const [index, node] of (graph.node ?? []).entries()) {
    const opType = node.opType ?? '';
    const attrs = new NodeAttributes(node.attribute ?? []);
    const outputs = [...(node.output ?? [])];
    const inputs = [...(node.input ?? [])];
    if (node.domain && node.domain !== 'ai.onnx') {
      missing.push({ op: `${node.domain}::${opType}` });
      continue;
    }
    if (opType === 'Constant') {
      const t = attrs.tensor('value');
      if (t) consts.set(outputs[0] ?? '', { dims: t.dims, values: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data), ...(t.dtype === 'int32' ? { ints: t.wide ?? Array.from(t.data) } : {}), float16: t.onnxType === ElemType.FLOAT16 });
      else missing.push({ op: 'Constant', reason: 'only tensor values' });
      continue;
    }
    // A float16 constant read through Cast(to=FLOAT): one float16 constant (the FP16-storage variant's weights).
    const source = consts.get(inputs[0] ?? '');
    if (opType === 'Cast' && source?.float16 && attrs.int('to', 0) === ElemType.FLOAT) {
      consts.set(outputs[0] ?? '', source);
      continue;
    }
    nodes.push({ opType, name: node.name || `${opType}_${index}`, inputs, outputs, attrs });
  }
  const inputs = (graph.input ?? []).filter((i) => !consts.has(i.name ?? ''));
  const outputs = graph.output ?? [];
  if (inputs.length !== 1 || outputs.length !== 1) missing.push({ op: '(graph)', reason: `${inputs.length} inputs and ${outputs.length} outputs; the exporter writes one of each` });
  const input = inputs[0];
  const tensorType = input?.type?.tensorType;
  if (input && tensorType?.elemType !== ElemType.FLOAT) missing.push({ op: '(input)', reason: `"${input.name ?? ''}" is not float32` });
  if (missing.length > 0) throw new TfliteExportError(missing);
  const dims = (tensorType?.shape?.dim ?? []).map((d) => (Object.prototype.hasOwnProperty.call(d, 'dimValue') ? toNumber(d.dimValue) : null));
  const readers = new Map<string, number>();
  for (const n of nodes) for (const i of n.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const output = outputs[0]?.name ?? '';
  readers.set(output, (readers.get(output) ?? 0) + 1);
  return { opset, input: { name: input?.name ?? '', dims }, output, consts, nodes, readers };
}
