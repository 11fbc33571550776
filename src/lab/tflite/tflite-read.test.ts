import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { int32Vector, offsetVector } from './tflite-flatbuffers';
import { BuiltinOperator, k_slots, TensorType, TfliteFormatError } from './tflite-format';
import { isTflite, readTflite, tensorShapeSites } from './tflite-read';
import { tinyTflite } from './tflite-test-graphs';

/**
 * A file as an older or foreign writer makes it: an operator code in the
 * one-byte field only, options of a kind the lab does not decode, an empty
 * quantization table, a buffer placed after the flatbuffer by offset and size.
 */
function foreignFile(): Uint8Array {
  // The flatbuffer's length does not depend on the offset's value: build once to learn it, then with it.
  const length = foreignFlatbuffer(2).length;
  const flat = foreignFlatbuffer(length);
  const file = new Uint8Array(length + 8);
  file.set(flat);
  new DataView(file.buffer).setInt32(length, 5, true);
  new DataView(file.buffer).setInt32(length + 4, -6, true);
  return file;
}

function foreignFlatbuffer(externalAt: number): Uint8Array {
  const b = new Builder(256);
  b.startObject(1);
  b.addFieldInt32(0, 7, 0); // an options table of another kind (one int field)
  const options = b.endObject();
  const inputs = int32Vector(b, [0]);
  const outputs = int32Vector(b, [0]);
  b.startObject(k_slots.operator.builtinOptions + 1);
  b.addFieldOffset(k_slots.operator.inputs, inputs, 0);
  b.addFieldOffset(k_slots.operator.outputs, outputs, 0);
  b.addFieldInt8(k_slots.operator.builtinOptionsType, 23, 0);
  b.addFieldOffset(k_slots.operator.builtinOptions, options, 0);
  const operator = b.endObject();
  b.startObject(1);
  const emptyQuantization = b.endObject();
  const shape = int32Vector(b, [2]);
  b.startObject(k_slots.tensor.hasRank + 1);
  b.addFieldOffset(k_slots.tensor.shape, shape, 0);
  b.addFieldInt8(k_slots.tensor.type, TensorType.INT32, 0);
  b.addFieldInt32(k_slots.tensor.buffer, 1, 0);
  b.addFieldOffset(k_slots.tensor.quantization, emptyQuantization, 0);
  const tensor = b.endObject();
  const tensors = offsetVector(b, [tensor]);
  const operators = offsetVector(b, [operator]);
  b.startObject(k_slots.subgraph.name + 1);
  b.addFieldOffset(k_slots.subgraph.tensors, tensors, 0);
  b.addFieldOffset(k_slots.subgraph.operators, operators, 0);
  const graph = b.endObject();
  b.startObject(k_slots.operatorCode.builtinCode + 1);
  b.addFieldInt8(k_slots.operatorCode.deprecatedBuiltinCode, BuiltinOperator.GATHER, 0);
  const code = b.endObject();
  b.startObject(1);
  const empty = b.endObject();
  b.startObject(k_slots.buffer.size + 1);
  b.addFieldInt64(k_slots.buffer.offset, BigInt(externalAt), 0n);
  b.addFieldInt64(k_slots.buffer.size, 8n, 0n);
  const external = b.endObject();
  const codes = offsetVector(b, [code]);
  const subgraphs = offsetVector(b, [graph]);
  const buffers = offsetVector(b, [empty, external]);
  b.startObject(k_slots.model.signatureDefs + 1);
  b.addFieldInt32(k_slots.model.version, 3, 0);
  b.addFieldOffset(k_slots.model.operatorCodes, codes, 0);
  b.addFieldOffset(k_slots.model.subgraphs, subgraphs, 0);
  b.addFieldOffset(k_slots.model.buffers, buffers, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array();
}

describe('readTflite', () => {
  it('reads an older writer: the one-byte operator code, undecoded options by tag, an empty quantization table, a buffer past the flatbuffer', () => {
    const bytes = foreignFile();
    const m = readTflite(bytes);
    expect(m.operatorCodes).toEqual([{ builtinCode: BuiltinOperator.GATHER, version: 1 }]);
    const graph = m.subgraphs[0]!;
    expect(graph.operators[0]!.options).toEqual({ type: 'unread', tag: 23 });
    const t = graph.tensors[0]!;
    expect([t.name, t.type, t.shape, t.quantization, t.hasRank]).toEqual(['', TensorType.INT32, [2], undefined, false]);
    expect(Array.from(new Int32Array(m.buffers[t.buffer]!.slice().buffer))).toEqual([5, -6]);
    expect(m.signatures).toEqual([]);
  });

  it('refuses bytes that are not a TFLite flatbuffer', () => {
    const text = new TextEncoder().encode('not a model at all');
    expect(isTflite(text)).toBe(false);
    expect(() => readTflite(text)).toThrow(TfliteFormatError);
    expect(() => readTflite(new Uint8Array(4))).toThrow(/no "TFL3"/);
  });

  it('refuses a truncated file with the position that lies outside it, never with made-up values', () => {
    const bytes = tinyTflite();
    for (const length of [12, 64, Math.floor(bytes.length / 2), bytes.length - 8]) {
      expect(() => readTflite(bytes.slice(0, length)), `cut at ${length}`).toThrow(/not a readable \.tflite file \(truncated or corrupt flatbuffer/);
    }
  });

  it("finds each tensor's shape and signature in the file", () => {
    const bytes = tinyTflite();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const sites = tensorShapeSites(bytes, 0);
    expect(sites.map((s) => [s.shape?.length, s.signature?.length])).toEqual([
      [2, 2],
      [2, undefined],
      [1, undefined],
      [2, 2],
      [2, 2],
    ]);
    expect([view.getInt32(sites[0]!.shape!.start, true), view.getInt32(sites[0]!.signature!.start, true)]).toEqual([1, -1]);
    expect(() => tensorShapeSites(bytes, 1)).toThrow(TfliteFormatError);
  });
});
