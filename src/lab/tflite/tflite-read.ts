/**
 * .tflite bytes → TfliteModel: what the lab reads back from its own exports
 * (tests, the zoo build) and from a user's file (its card, the per-batch
 * rewrite): tensors with shapes, types and quantization, operator codes,
 * operators with their inputs, outputs and options, buffers, signatures.
 * Every position is checked against the file's length, so a truncated or
 * foreign file ends in a TfliteFormatError rather than in made-up values.
 */
import { ByteBuffer } from 'flatbuffers';
import {
  k_slots,
  k_tflite_file_identifier,
  TfliteFormatError,
  type TensorType,
  type TfliteModel,
  type TfliteOperator,
  type TfliteOperatorCode,
  type TfliteQuantization,
  type TfliteSignature,
  type TfliteSubgraph,
  type TfliteTensor,
  type TfliteTensorMap,
} from './tflite-format';
import { TableReader, type VectorSite } from './tflite-flatbuffers';
import { readBuiltinOptions } from './tflite-options';

/** True when the bytes carry the TFLite file identifier "TFL3" at offset 4. */
export function isTflite(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new ByteBuffer(bytes).__has_identifier(k_tflite_file_identifier);
}

/**
 * Parses a .tflite file into plain objects; buffers are views into `bytes`.
 * @throws TfliteFormatError when the bytes are not a readable TFLite flatbuffer.
 */
export function readTflite(bytes: Uint8Array): TfliteModel {
  const root = rootOf(bytes);
  try {
    const s = k_slots.model;
    const description = root.string(s.description);
    return {
      version: root.uint32(s.version),
      ...(description === undefined ? {} : { description }),
      operatorCodes: root.tables(s.operatorCodes).map(readOperatorCode),
      subgraphs: root.tables(s.subgraphs).map(readSubgraph),
      buffers: root.tables(s.buffers).map(readBuffer),
      signatures: root.tables(s.signatureDefs).map(readSignature),
    };
  } catch (error) {
    throw unreadable(error);
  }
}

/** Where each tensor's shape and shape signature lie in the file (tflite-batch.ts rewrites them in place). */
export interface TensorShapeSites {
  shape?: VectorSite;
  signature?: VectorSite;
}

/** The shape sites of every tensor of subgraph `index`, in tensor order. */
export function tensorShapeSites(bytes: Uint8Array, index: number): TensorShapeSites[] {
  const root = rootOf(bytes);
  try {
    const graph = root.tables(k_slots.model.subgraphs)[index];
    if (graph === undefined) throw new TfliteFormatError(`no subgraph ${index}`);
    const s = k_slots.tensor;
    return graph.tables(k_slots.subgraph.tensors).map((t) => {
      const shape = t.vector(s.shape, 4);
      const signature = t.vector(s.shapeSignature, 4);
      return { ...(shape ? { shape } : {}), ...(signature ? { signature } : {}) };
    });
  } catch (error) {
    throw unreadable(error);
  }
}

function rootOf(bytes: Uint8Array): TableReader {
  if (!isTflite(bytes)) throw new TfliteFormatError('not a .tflite file (no "TFL3" flatbuffer identifier at byte 4)');
  try {
    return TableReader.root(bytes);
  } catch (error) {
    throw unreadable(error);
  }
}

function unreadable(error: unknown): TfliteFormatError {
  return new TfliteFormatError(`not a readable .tflite file (${error instanceof Error ? error.message : String(error)})`);
}

function readOperatorCode(t: TableReader): TfliteOperatorCode {
  const s = k_slots.operatorCode;
  const customCode = t.string(s.customCode);
  // Files from before the four-byte field state only the one-byte one; newer files state both.
  const builtinCode = Math.max(t.int8(s.deprecatedBuiltinCode), t.int32(s.builtinCode));
  return { builtinCode, version: t.int32(s.version, 1), ...(customCode === undefined ? {} : { customCode }) };
}

function readSubgraph(t: TableReader): TfliteSubgraph {
  const s = k_slots.subgraph;
  const name = t.string(s.name);
  return {
    ...(name === undefined ? {} : { name }),
    tensors: t.tables(s.tensors).map(readTensor),
    inputs: t.int32s(s.inputs) ?? [],
    outputs: t.int32s(s.outputs) ?? [],
    operators: t.tables(s.operators).map(readOperator),
  };
}

function readTensor(t: TableReader): TfliteTensor {
  const s = k_slots.tensor;
  const signature = t.int32s(s.shapeSignature);
  const q = t.table(s.quantization);
  const quantization = q && readQuantization(q);
  return {
    name: t.string(s.name) ?? '',
    type: t.int8(s.type) as TensorType,
    shape: t.int32s(s.shape) ?? [],
    ...(signature === undefined ? {} : { shapeSignature: signature }),
    buffer: t.uint32(s.buffer),
    ...(quantization === undefined ? {} : { quantization }),
    hasRank: t.bool(s.hasRank),
    isVariable: t.bool(s.isVariable),
    ...(t.has(s.sparsity) ? { sparse: true } : {}),
  };
}

/** Affine parameters, or undefined when the table states none (TFLite writes an empty table for float tensors). */
function readQuantization(t: TableReader): TfliteQuantization | undefined {
  const s = k_slots.quantization;
  const scale = t.float32s(s.scale) ?? [];
  const detailsType = t.uint8(s.detailsType);
  if (scale.length === 0 && detailsType === 0) return undefined;
  return { scale, zeroPoint: t.int64s(s.zeroPoint) ?? [], quantizedDimension: t.int32(s.quantizedDimension), ...(detailsType === 0 ? {} : { detailsType }) };
}

function readOperator(t: TableReader): TfliteOperator {
  const s = k_slots.operator;
  const tag = t.uint8(s.builtinOptionsType);
  const table = tag === 0 ? undefined : t.table(s.builtinOptions);
  const custom = t.bytes(s.customOptions);
  return {
    opcodeIndex: t.uint32(s.opcodeIndex),
    inputs: t.int32s(s.inputs) ?? [],
    outputs: t.int32s(s.outputs) ?? [],
    ...(table === undefined ? {} : { options: readBuiltinOptions(tag, table) }),
    ...(custom === undefined ? {} : { customOptions: custom }),
  };
}

function readBuffer(t: TableReader): Uint8Array {
  const s = k_slots.buffer;
  // Data past the flatbuffer (files over 2 GB) is placed by offset and size; offsets 0 and 1 mean it is inline.
  const offset = t.uint64(s.offset);
  if (offset > 1) return t.slice(offset, t.uint64(s.size));
  return t.bytes(s.data) ?? new Uint8Array(0);
}

function readTensorMap(t: TableReader): TfliteTensorMap {
  const s = k_slots.tensorMap;
  return { name: t.string(s.name) ?? '', tensorIndex: t.uint32(s.tensorIndex) };
}

function readSignature(t: TableReader): TfliteSignature {
  const s = k_slots.signatureDef;
  return {
    key: t.string(s.signatureKey) ?? '',
    subgraphIndex: t.uint32(s.subgraphIndex),
    inputs: t.tables(s.inputs).map(readTensorMap),
    outputs: t.tables(s.outputs).map(readTensorMap),
  };
}
