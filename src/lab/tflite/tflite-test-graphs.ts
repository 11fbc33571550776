/**
 * Small ONNX graphs written by hand for the .tflite exporter's tests, a
 * reader of what the export wrote (operators with their options, tensors),
 * and a tiny .tflite for the format's own tests.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { attr } from '../models/onnx-graph';
import { DataType, encodeModel, float32Tensor, rawTensor } from '../models/onnx-model-edit';
import { onnx } from '../models/onnx-proto-import';
import { BuiltinOperator, builtinOperatorName, TensorType, type TfliteModel, type TfliteTensor } from './tflite-format';
import { type BuiltinOptions, builtinOptions } from './tflite-options';
import { float32Bytes, TfliteGraph } from './tflite-graph';
import { readTflite } from './tflite-read';

export { attr };

export interface TestNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: OnnxTypes.IAttributeProto[];
}

/** A one-input, one-output float graph; `dims` of the input with the batch as `null`. */
export function onnxModel(input: { name: string; dims: (number | null)[] }, output: string, nodes: TestNode[], initializers: OnnxTypes.ITensorProto[], opset = 17): Uint8Array {
  const valueInfo = (name: string, dims?: (number | null)[]): OnnxTypes.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: DataType.FLOAT, ...(dims ? { shape: { dim: dims.map((d) => (d === null ? { dimParam: 'batch' } : { dimValue: d })) } } : {}) } },
  });
  return encodeModel(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: 'test',
        node: nodes.map((n, i) => ({ opType: n.op, input: n.inputs, output: n.outputs, name: `${n.op}_${i}`, attribute: n.attributes ?? [] })),
        initializer: initializers,
        input: [valueInfo(input.name, input.dims)],
        output: [valueInfo(output)],
      },
    }),
  );
}

export const f32 = float32Tensor;

/** An int64 initializer (shapes, axes). */
export function int64Tensor(name: string, values: readonly number[]): OnnxTypes.ITensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return rawTensor(name, [values.length], DataType.INT64, raw);
}

/** A float16 initializer from float16 bit patterns. */
export function f16(name: string, dims: readonly number[], bits: readonly number[]): OnnxTypes.ITensorProto {
  const raw = new Uint8Array(bits.length * 2);
  const view = new DataView(raw.buffer);
  bits.forEach((b, i) => view.setUint16(i * 2, b, true));
  return rawTensor(name, dims, DataType.FLOAT16, raw);
}

export interface WrittenOp {
  op: string;
  version: number;
  inputs: TfliteTensor[];
  outputs: TfliteTensor[];
  options: BuiltinOptions | undefined;
}

/** The written model's operators in order, with their tensors resolved. */
export function writtenOps(bytes: Uint8Array): { model: TfliteModel; ops: WrittenOp[] } {
  const model = readTflite(bytes);
  const graph = model.subgraphs[0]!;
  const ops = graph.operators.map((o) => {
    const code = model.operatorCodes[o.opcodeIndex]!;
    return {
      op: builtinOperatorName(code.builtinCode),
      version: code.version,
      inputs: o.inputs.map((i) => graph.tensors[i]!),
      outputs: o.outputs.map((i) => graph.tensors[i]!),
      options: o.options,
    };
  });
  return { model, ops };
}

/** A constant tensor's values as float32 (little-endian). */
export function tensorFloats(model: TfliteModel, t: TfliteTensor): Float32Array {
  const data = model.buffers[t.buffer]!.slice();
  return new Float32Array(data.buffer.slice(0));
}

export function tensorInts(model: TfliteModel, t: TfliteTensor, bytesPer: 1 | 4): number[] {
  const data = model.buffers[t.buffer]!.slice();
  return bytesPer === 1 ? Array.from(new Int8Array(data.buffer)) : Array.from(new Int32Array(data.buffer.slice(0)));
}

/** A .tflite written through TfliteGraph: x[N,3] → FULLY_CONNECTED (2 outputs) → HARD_SWISH, batch `batch`, dynamic unless `fixed`. */
export function tinyTflite(batch = 1, fixed = false): Uint8Array {
  const g = new TfliteGraph();
  const sig = (d: number) => (fixed ? undefined : [-1, d]);
  const x = g.addTensor({ name: 'x', shape: [batch, 3], signature: sig(3), type: TensorType.FLOAT32 });
  const w = g.addTensor({ name: 'w', shape: [2, 3], type: TensorType.FLOAT32, data: float32Bytes([1, 2, 3, 4, 5, 6]) });
  const b = g.addTensor({ name: 'b', shape: [2], type: TensorType.FLOAT32, data: float32Bytes([0.5, -0.5]) });
  const y = g.addTensor({ name: 'y', shape: [batch, 2], signature: sig(2), type: TensorType.FLOAT32 });
  const z = g.addTensor({ name: 'z', shape: [batch, 2], signature: sig(2), type: TensorType.FLOAT32 });
  g.addOperator(BuiltinOperator.FULLY_CONNECTED, [x, w, b], [y], builtinOptions('FullyConnectedOptions'));
  g.addOperator(BuiltinOperator.HARD_SWISH, [y], [z]);
  return g.finish([{ name: 'x', tensor: x }], [{ name: 'z', tensor: z }], 'tiny');
}
