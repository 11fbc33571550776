/**
 * What onnxruntime-web's WebGL backend (the onnxjs engine) can run, read from
 * its own source in the installed package (`lib/onnxjs/backends/webgl/
 * op-resolve-rules.ts`, `lib/onnxjs/util.ts`, `ops/resize-packed.ts`; a unit
 * test re-reads those files so an upgrade that changes them fails the build).
 * The adapter checks a model against this before creating a session, so a
 * refusal is a typed "unavailable" naming the operator, never a guess from
 * the error text.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../models/onnx-proto-import';
import type { UnsupportedDetail } from './unsupported';

/** [operator, first opset, last opset or null for "and later"], default domain only. */
export const ORT_WEBGL_OPERATORS: readonly (readonly [string, number, number | null])[] = Object.freeze([
  ['Abs', 6, null], ['Acos', 7, null], ['Add', 7, null], ['And', 7, null], ['Asin', 7, null], ['Atan', 7, null],
  ['AveragePool', 7, null], ['BatchNormalization', 7, null], ['Cast', 6, null], ['Ceil', 6, null], ['Clip', 6, null],
  ['Concat', 4, null], ['Conv', 1, null], ['ConvTranspose', 1, null], ['Cos', 7, null], ['Div', 7, null],
  ['Dropout', 7, null], ['DepthToSpace', 1, null], ['Equal', 7, null], ['Elu', 6, null], ['Exp', 6, null],
  ['Flatten', 1, null], ['Floor', 6, null], ['Gather', 1, null], ['Gemm', 7, null], ['GlobalAveragePool', 1, null],
  ['GlobalMaxPool', 1, null], ['Greater', 7, null], ['Identity', 1, null], ['ImageScaler', 1, null],
  ['InstanceNormalization', 6, null], ['LeakyRelu', 6, null], ['Less', 7, null], ['LRN', 1, null], ['Log', 6, null],
  ['MatMul', 1, null], ['MaxPool', 1, null], ['Mul', 7, null], ['Neg', 6, null], ['Not', 1, null], ['Or', 7, null],
  ['Pad', 2, null], ['Pow', 7, null], ['PRelu', 7, null], ['ReduceLogSum', 1, null], ['ReduceMax', 1, null],
  ['ReduceMean', 1, null], ['ReduceMin', 1, null], ['ReduceProd', 1, null], ['ReduceSum', 1, 12],
  ['ReduceSumSquare', 1, null], ['Relu', 6, null], ['Reshape', 5, null], ['Resize', 10, null], ['Shape', 1, null],
  ['Sigmoid', 6, null], ['Sin', 7, null], ['Slice', 1, null], ['Softmax', 1, null], ['Split', 2, 12], ['Sqrt', 6, null],
  ['Squeeze', 1, null], ['Sub', 7, null], ['Sum', 6, null], ['Tan', 7, null], ['Tanh', 6, null], ['Tile', 6, null],
  ['Transpose', 1, null], ['Upsample', 7, 9], ['Unsqueeze', 1, null], ['Xor', 7, null],
]);

/** Tensor types its `ProtoUtil.tensorDataTypeFromProto` accepts (INT64/UINT64 are narrowed to 32 bits). */
const SUPPORTED_TYPES = new Set<number>([
  onnx.TensorProto.DataType.FLOAT,
  onnx.TensorProto.DataType.DOUBLE,
  onnx.TensorProto.DataType.INT8,
  onnx.TensorProto.DataType.UINT8,
  onnx.TensorProto.DataType.INT16,
  onnx.TensorProto.DataType.UINT16,
  onnx.TensorProto.DataType.INT32,
  onnx.TensorProto.DataType.UINT32,
  onnx.TensorProto.DataType.INT64,
  onnx.TensorProto.DataType.UINT64,
  onnx.TensorProto.DataType.BOOL,
  onnx.TensorProto.DataType.STRING,
]);

const SOURCE = 'onnxruntime-web 1.30 WebGL backend source (onnxjs)';

function typeName(type: number): string {
  return onnx.TensorProto.DataType[type] ?? `type ${type}`;
}

function opsetOf(model: OnnxTypes.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return Number(entry?.version ?? 0);
}

function stringAttr(node: OnnxTypes.INodeProto, name: string, fallback: string): string {
  const attr = (node.attribute ?? []).find((a) => a.name === name);
  return attr?.s && attr.s.length > 0 ? new TextDecoder().decode(attr.s) : fallback;
}

/** The first thing in `bytes` that the WebGL backend cannot run, or null. */
export function findWebglUnsupported(bytes: Uint8Array): UnsupportedDetail | null {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) return null;
  const opset = opsetOf(model);
  const tensorTypes = [
    ...(graph.initializer ?? []).map((t) => ({ name: t.name ?? '', type: t.dataType ?? 0 })),
    ...[...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])].map((v) => ({
      name: v.name ?? '',
      type: v.type?.tensorType?.elemType ?? onnx.TensorProto.DataType.FLOAT,
    })),
  ];
  const badType = tensorTypes.find((t) => !SUPPORTED_TYPES.has(t.type));
  if (badType) {
    return { kind: 'data-type', subject: typeName(badType.type), source: SOURCE, engineWords: `unsupported data type: ${typeName(badType.type)} (tensor "${badType.name}")` };
  }
  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    const domain = node.domain ?? '';
    // The one contrib operator in its table.
    if (domain === 'com.microsoft' && op === 'FusedConv') continue;
    if (domain !== '' && domain !== 'ai.onnx') {
      return { kind: 'operator', subject: `${domain}.${op}`, source: SOURCE, engineWords: `no WebGL kernel for operator ${op} in domain ${domain}` };
    }
    const rule = ORT_WEBGL_OPERATORS.find(([name, from, to]) => name === op && opset >= from && (to === null || opset <= to));
    if (!rule) {
      return { kind: 'operator', subject: op, source: SOURCE, engineWords: `cannot resolve operator '${op}' with opsets: ai.onnx v${opset}` };
    }
    if (op === 'Resize' && stringAttr(node, 'mode', 'nearest') !== 'linear') {
      const mode = stringAttr(node, 'mode', 'nearest');
      return { kind: 'attribute', subject: `Resize mode "${mode}"`, source: SOURCE, engineWords: `resize (packed) does not support mode: '${mode}'` };
    }
  }
  return null;
}
