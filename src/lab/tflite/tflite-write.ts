/**
 * TfliteModel → .tflite bytes, on the `flatbuffers` Builder.
 *
 * - Constant data (`Buffer.data`) starts on a 16-byte boundary of the file,
 *   as TFLite's own converter writes it: runtimes read weights in place.
 * - No empty vectors and no fields at their default: LiteRT reads an empty
 *   `custom_options` on a builtin operator as custom options ("Found builtin
 *   operator FULLY_CONNECTED with custom options") and an empty
 *   `shape_signature` as a rank-0 signature. A tensor's `shape` is always
 *   written (a scalar's is []), as are the inputs and outputs of operators
 *   and subgraphs.
 * - Children are written before the table that points to them, in field order.
 */
import { Builder } from 'flatbuffers';
import {
  k_buffer_alignment,
  k_last_byte_builtin_code,
  k_slots,
  k_tflite_file_identifier,
  TfliteFormatError,
  type TfliteModel,
  type TfliteOperator,
  type TfliteOperatorCode,
  type TfliteQuantization,
  type TfliteSignature,
  type TfliteSubgraph,
  type TfliteTensor,
  type TfliteTensorMap,
} from './tflite-format';
import { alignedByteVector, float32Vector, int32Vector, int64Vector, offsetVector } from './tflite-flatbuffers';
import { builtinOptionsTag, writeBuiltinOptions } from './tflite-options';

/** Serialises a model with the "TFL3" file identifier. */
export function writeTflite(model: TfliteModel): Uint8Array {
  const weights = model.buffers.reduce((n, b) => n + b.length + k_buffer_alignment, 0);
  const builder = new Builder(1024 + Math.ceil(weights * 1.1));
  builder.finish(writeModel(builder, model), k_tflite_file_identifier);
  return builder.asUint8Array();
}

function writeModel(b: Builder, model: TfliteModel): number {
  const s = k_slots.model;
  const codes = offsetVector(b, model.operatorCodes.map((c) => writeOperatorCode(b, c)));
  const subgraphs = offsetVector(b, model.subgraphs.map((g) => writeSubgraph(b, g)));
  const description = model.description === undefined ? 0 : b.createString(model.description);
  const buffers = offsetVector(b, model.buffers.map((data) => writeBuffer(b, data)));
  const signatures = model.signatures.length > 0 ? offsetVector(b, model.signatures.map((sig) => writeSignature(b, sig))) : 0;
  b.startObject(s.signatureDefs + 1);
  b.addFieldInt32(s.version, model.version, 0);
  b.addFieldOffset(s.operatorCodes, codes, 0);
  b.addFieldOffset(s.subgraphs, subgraphs, 0);
  b.addFieldOffset(s.description, description, 0);
  b.addFieldOffset(s.buffers, buffers, 0);
  b.addFieldOffset(s.signatureDefs, signatures, 0);
  return b.endObject();
}

function writeOperatorCode(b: Builder, code: TfliteOperatorCode): number {
  const s = k_slots.operatorCode;
  const custom = code.customCode === undefined ? 0 : b.createString(code.customCode);
  b.startObject(s.builtinCode + 1);
  // Old readers read only the one-byte field; codes past it say "look at builtin_code".
  b.addFieldInt8(s.deprecatedBuiltinCode, Math.min(code.builtinCode, k_last_byte_builtin_code), 0);
  b.addFieldOffset(s.customCode, custom, 0);
  b.addFieldInt32(s.version, code.version, 1);
  b.addFieldInt32(s.builtinCode, code.builtinCode, 0);
  return b.endObject();
}

function writeSubgraph(b: Builder, graph: TfliteSubgraph): number {
  const s = k_slots.subgraph;
  const tensors = offsetVector(b, graph.tensors.map((t) => writeTensor(b, t)));
  const inputs = int32Vector(b, graph.inputs);
  const outputs = int32Vector(b, graph.outputs);
  const operators = offsetVector(b, graph.operators.map((o) => writeOperator(b, o)));
  const name = graph.name === undefined ? 0 : b.createString(graph.name);
  b.startObject(s.name + 1);
  b.addFieldOffset(s.tensors, tensors, 0);
  b.addFieldOffset(s.inputs, inputs, 0);
  b.addFieldOffset(s.outputs, outputs, 0);
  b.addFieldOffset(s.operators, operators, 0);
  b.addFieldOffset(s.name, name, 0);
  return b.endObject();
}

function writeTensor(b: Builder, tensor: TfliteTensor): number {
  const s = k_slots.tensor;
  if (tensor.sparse) throw new TfliteFormatError(`tensor "${tensor.name}": sparse tensors are not written`);
  const shape = int32Vector(b, tensor.shape);
  const name = tensor.name === '' ? 0 : b.createString(tensor.name);
  const quantization = tensor.quantization !== undefined && tensor.quantization.scale.length > 0 ? writeQuantization(b, tensor.quantization) : 0;
  const signature = tensor.shapeSignature !== undefined && tensor.shapeSignature.length > 0 ? int32Vector(b, tensor.shapeSignature) : 0;
  b.startObject(s.hasRank + 1);
  b.addFieldOffset(s.shape, shape, 0);
  b.addFieldInt8(s.type, tensor.type, 0);
  b.addFieldInt32(s.buffer, tensor.buffer, 0);
  b.addFieldOffset(s.name, name, 0);
  b.addFieldOffset(s.quantization, quantization, 0);
  b.addFieldInt8(s.isVariable, tensor.isVariable ? 1 : 0, 0);
  b.addFieldOffset(s.shapeSignature, signature, 0);
  b.addFieldInt8(s.hasRank, tensor.hasRank ? 1 : 0, 0);
  return b.endObject();
}

function writeQuantization(b: Builder, q: TfliteQuantization): number {
  const s = k_slots.quantization;
  if (q.detailsType !== undefined && q.detailsType !== 0) throw new TfliteFormatError(`quantization details (union tag ${q.detailsType}) are not written`);
  if (q.scale.length !== q.zeroPoint.length) throw new TfliteFormatError(`quantization has ${q.scale.length} scales and ${q.zeroPoint.length} zero points`);
  const scale = float32Vector(b, q.scale);
  const zeroPoint = int64Vector(b, q.zeroPoint);
  b.startObject(s.quantizedDimension + 1);
  b.addFieldOffset(s.scale, scale, 0);
  b.addFieldOffset(s.zeroPoint, zeroPoint, 0);
  b.addFieldInt32(s.quantizedDimension, q.quantizedDimension, 0);
  return b.endObject();
}

function writeOperator(b: Builder, op: TfliteOperator): number {
  const s = k_slots.operator;
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const options = op.options === undefined ? 0 : writeBuiltinOptions(b, op.options);
  const custom = op.customOptions !== undefined && op.customOptions.length > 0 ? b.createByteVector(op.customOptions) : 0;
  b.startObject(s.customOptions + 1);
  b.addFieldInt32(s.opcodeIndex, op.opcodeIndex, 0);
  b.addFieldOffset(s.inputs, inputs, 0);
  b.addFieldOffset(s.outputs, outputs, 0);
  b.addFieldInt8(s.builtinOptionsType, op.options === undefined ? 0 : builtinOptionsTag(op.options), 0);
  b.addFieldOffset(s.builtinOptions, options, 0);
  b.addFieldOffset(s.customOptions, custom, 0);
  return b.endObject();
}

function writeBuffer(b: Builder, data: Uint8Array): number {
  const data16 = data.length > 0 ? alignedByteVector(b, data, k_buffer_alignment) : 0;
  b.startObject(k_slots.buffer.data + 1);
  b.addFieldOffset(k_slots.buffer.data, data16, 0);
  return b.endObject();
}

function writeTensorMap(b: Builder, map: TfliteTensorMap): number {
  const s = k_slots.tensorMap;
  const name = b.createString(map.name);
  b.startObject(s.tensorIndex + 1);
  b.addFieldOffset(s.name, name, 0);
  b.addFieldInt32(s.tensorIndex, map.tensorIndex, 0);
  return b.endObject();
}

function writeSignature(b: Builder, sig: TfliteSignature): number {
  const s = k_slots.signatureDef;
  const inputs = offsetVector(b, sig.inputs.map((m) => writeTensorMap(b, m)));
  const outputs = offsetVector(b, sig.outputs.map((m) => writeTensorMap(b, m)));
  const key = b.createString(sig.key);
  b.startObject(s.subgraphIndex + 1);
  b.addFieldOffset(s.inputs, inputs, 0);
  b.addFieldOffset(s.outputs, outputs, 0);
  b.addFieldOffset(s.signatureKey, key, 0);
  b.addFieldInt32(s.subgraphIndex, sig.subgraphIndex, 0);
  return b.endObject();
}
