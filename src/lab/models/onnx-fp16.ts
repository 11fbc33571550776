/**
 * FP16 variants of an FP32 ONNX model.
 *
 * - **Storage** (`fp16`): every float32 weight becomes a float16 initializer
 *   followed by a Cast to float32; the graph computes in float32 (onnxruntime
 *   folds the casts into float32 initializers when it creates the session).
 *   Half the bytes on the wire, the FP32 graph after loading.
 * - **Compute** (`fp16c`): the whole graph in float16: weights are float16,
 *   the float32 input is cast to float16 on entry and the output back to
 *   float32 on exit, so callers feed and read float32 as with every other
 *   variant. Whether the kernels really compute in FP16 is the engine's
 *   business (onnxruntime's CPU/wasm engine inserts casts to float32 around
 *   operators it has no FP16 kernel for; its optimized graph shows them).
 *
 * Inputs that ONNX types float-only (Resize `roi`, `scales`) stay float32.
 */
import { float16BytesLE, toFloat16Bits } from './float16';
import {
  castAttribute,
  DataType,
  decodeModel,
  encodeModel,
  float32OnlyInitializers,
  float32Values,
  graphOf,
  type ModelProto,
  type NodeProto,
  rawTensor,
  readersOf,
  rewireInputs,
  tensorDims,
  uniqueValueName,
} from './onnx-model-edit';

function float16Initializer(name: string, dims: number[], values: Float32Array) {
  return rawTensor(name, dims, DataType.FLOAT16, float16BytesLE(toFloat16Bits(values)));
}

function withDoc(model: ModelProto, line: string): void {
  model.docString = model.docString ? `${model.docString}\n${line}` : line;
}

/** FP16 storage: float16 initializers, each read through a Cast to float32. */
export function onnxToFp16Storage(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const keep = float32OnlyInitializers(graph);
  const casts: NodeProto[] = [];
  graph.initializer = graph.initializer.map((tensor) => {
    const name = tensor.name ?? '';
    if (tensor.dataType !== DataType.FLOAT || keep.has(name)) return tensor;
    const stored = uniqueValueName(graph, `${name}/fp16`);
    casts.push({ opType: 'Cast', input: [stored], output: [name], name: `${name}/Cast`, attribute: [castAttribute(DataType.FLOAT)] });
    return float16Initializer(stored, tensorDims(tensor), float32Values(tensor));
  });
  graph.node = [...casts, ...graph.node];
  withDoc(model, 'Precision variant fp16 (FP16 storage): float16 initializers cast to float32; computes in float32.');
  return encodeModel(model);
}

/** FP16 compute: a float16 graph with Cast float32 → float16 at the inputs and float16 → float32 at the outputs. */
export function onnxToFp16Compute(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const keep = float32OnlyInitializers(graph);
  for (const node of graph.node) {
    if (node.opType === 'Constant' || (node.opType === 'Cast' && node.attribute?.some((a) => a.name === 'to' && Number(a.i) === Number(DataType.FLOAT)))) {
      throw new Error(`FP16 compute: node "${node.name ?? ''}" (${node.opType}) would need its float type rewritten; not supported`);
    }
    const scales = node.opType === 'Resize' ? [node.input?.[1], node.input?.[2]].filter((n): n is string => n !== undefined && n !== '') : [];
    if (scales.some((name) => graph.initializer.every((t) => t.name !== name))) {
      throw new Error(`FP16 compute: Resize "${node.name ?? ''}" computes its roi or scales at run time; not supported`);
    }
  }
  graph.initializer = graph.initializer.map((tensor) =>
    tensor.dataType !== DataType.FLOAT || keep.has(tensor.name ?? '') ? tensor : float16Initializer(tensor.name ?? '', tensorDims(tensor), float32Values(tensor)),
  );
  for (const info of graph.valueInfo ?? []) {
    const type = info.type?.tensorType;
    if (type && type.elemType === DataType.FLOAT) type.elemType = DataType.FLOAT16;
  }
  const readers = readersOf(graph);
  const entry: NodeProto[] = [];
  for (const input of graph.input) {
    const name = input.name ?? '';
    if (input.type?.tensorType?.elemType !== DataType.FLOAT) continue;
    const half = uniqueValueName(graph, `${name}/fp16`);
    rewireInputs(readers.get(name) ?? [], name, half);
    entry.push({ opType: 'Cast', input: [name], output: [half], name: `${name}/to_fp16`, attribute: [castAttribute(DataType.FLOAT16)] });
  }
  const exit: NodeProto[] = [];
  for (const output of graph.output) {
    const name = output.name ?? '';
    if (output.type?.tensorType?.elemType !== DataType.FLOAT) continue;
    const half = uniqueValueName(graph, `${name}/fp16`);
    for (const node of graph.node) node.output = (node.output ?? []).map((o) => (o === name ? half : o));
    rewireInputs(readers.get(name) ?? [], name, half);
    exit.push({ opType: 'Cast', input: [half], output: [name], name: `${name}/to_fp32`, attribute: [castAttribute(DataType.FLOAT)] });
  }
  graph.node = [...entry, ...graph.node, ...exit];
  withDoc(model, 'Precision variant fp16c (FP16 compute): a float16 graph; the float32 input is cast to float16 and the output back to float32.');
  return encodeModel(model);
}
