/**
 * Small helpers to rewrite an existing ONNX model (the precision transforms):
 * decode and encode, read float32 initializers, make tensors, find who reads
 * a value, and rename a value's readers. Framework-free (onnx-proto only).
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './onnx-proto-import';

export type ModelProto = OnnxTypes.ModelProto;
export type GraphProto = OnnxTypes.IGraphProto;
export type NodeProto = OnnxTypes.INodeProto;
export type TensorProto = OnnxTypes.ITensorProto;

export const DataType = onnx.TensorProto.DataType;

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: ModelProto): Uint8Array {
  // `new Uint8Array` copies: in Node protobufjs returns a pooled Buffer view.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

/** A graph whose lists are present (empty when the file had none). */
export type EditableGraph = Omit<GraphProto, 'node' | 'initializer' | 'input' | 'output'> & {
  node: NodeProto[];
  initializer: TensorProto[];
  input: OnnxTypes.IValueInfoProto[];
  output: OnnxTypes.IValueInfoProto[];
};

export function graphOf(model: ModelProto): EditableGraph {
  const graph = model.graph;
  if (!graph) throw new Error('ONNX model has no graph');
  graph.node ??= [];
  graph.initializer ??= [];
  graph.input ??= [];
  graph.output ??= [];
  return graph as EditableGraph;
}

/** The float32 values of a FLOAT tensor (raw little-endian bytes or `floatData`). */
export function float32Values(tensor: TensorProto): Float32Array {
  if (tensor.dataType !== DataType.FLOAT) throw new Error(`tensor "${tensor.name ?? ''}" is not FLOAT (data type ${String(tensor.dataType)})`);
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }
  return Float32Array.from(tensor.floatData ?? []);
}

export function tensorDims(tensor: TensorProto): number[] {
  return (tensor.dims ?? []).map(Number);
}

/** A tensor from raw little-endian bytes. */
export function rawTensor(name: string, dims: readonly number[], dataType: number, rawData: Uint8Array): TensorProto {
  return { name, dims: [...dims], dataType, rawData };
}

export function float32Tensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return rawTensor(name, dims, DataType.FLOAT, raw);
}

export function int32Tensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i] as number, true);
  return rawTensor(name, dims, DataType.INT32, raw);
}

export function uint8Tensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  return rawTensor(name, dims, DataType.UINT8, Uint8Array.from(values));
}

/** Value name → the nodes that read it (in node order). */
export function readersOf(graph: GraphProto): Map<string, NodeProto[]> {
  const readers = new Map<string, NodeProto[]>();
  for (const node of graph.node ?? []) {
    for (const input of node.input ?? []) {
      if (input === '') continue;
      const list = readers.get(input) ?? [];
      if (!list.includes(node)) list.push(node);
      readers.set(input, list);
    }
  }
  return readers;
}

/** Makes `nodes` read `to` wherever they read `from`. */
export function rewireInputs(nodes: readonly NodeProto[], from: string, to: string): void {
  for (const node of nodes) node.input = (node.input ?? []).map((name) => (name === from ? to : name));
}

/** A name not used by any node output, input or initializer yet. */
export function uniqueValueName(graph: GraphProto, base: string): string {
  const used = new Set<string>([
    ...(graph.node ?? []).flatMap((n) => [...(n.output ?? []), ...(n.input ?? []), n.name ?? '']),
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...(graph.input ?? []).map((v) => v.name ?? ''),
  ]);
  let name = base;
  for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
  return name;
}

/**
 * Node inputs that must stay float32 whatever the model's precision (ONNX
 * types them `tensor(float)` only): Resize's `roi` and `scales`.
 */
export function isFloat32OnlyInput(node: NodeProto, index: number): boolean {
  return node.opType === 'Resize' && (index === 1 || index === 2);
}

/** Initializer names read by a float32-only input somewhere in the graph. */
export function float32OnlyInitializers(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  for (const node of graph.node ?? []) (node.input ?? []).forEach((name, i) => isFloat32OnlyInput(node, i) && names.add(name));
  return names;
}

export const castAttribute = (to: number): OnnxTypes.IAttributeProto => ({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: to });
