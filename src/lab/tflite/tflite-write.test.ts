import { describe, expect, it } from 'vitest';
import { TableReader } from './tflite-flatbuffers';
import { ActivationFunctionType, BuiltinOperator, k_slots, Padding, TensorType, type TfliteModel } from './tflite-format';
import { type BuiltinOptions, builtinOptions } from './tflite-options';
import { isTflite, readTflite } from './tflite-read';
import { tinyTflite } from './tflite-test-graphs';
import { writeTflite } from './tflite-write';

describe('writeTflite and readTflite', () => {
  it('round-trip a model: identifier, version, description, tensors, buffers, operator codes, options and signature', () => {
    const bytes = tinyTflite();
    expect(isTflite(bytes)).toBe(true);
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('TFL3');
    const m = readTflite(bytes);
    expect(m.version).toBe(3);
    expect(m.description).toBe('tiny');
    expect(m.operatorCodes).toEqual([
      { builtinCode: BuiltinOperator.FULLY_CONNECTED, version: 1 },
      { builtinCode: BuiltinOperator.HARD_SWISH, version: 1 },
    ]);
    const [graph] = m.subgraphs;
    expect(graph!.name).toBe('main');
    expect(graph!.tensors.map((t) => [t.name, t.type, t.shape, t.shapeSignature, t.buffer, t.hasRank])).toEqual([
      ['x', TensorType.FLOAT32, [1, 3], [-1, 3], 0, true],
      ['w', TensorType.FLOAT32, [2, 3], undefined, 1, true],
      ['b', TensorType.FLOAT32, [2], undefined, 2, true],
      ['y', TensorType.FLOAT32, [1, 2], [-1, 2], 0, true],
      ['z', TensorType.FLOAT32, [1, 2], [-1, 2], 0, true],
    ]);
    expect([graph!.inputs, graph!.outputs]).toEqual([[0], [4]]);
    expect(graph!.operators).toEqual([
      { opcodeIndex: 0, inputs: [0, 1, 2], outputs: [3], options: builtinOptions('FullyConnectedOptions') },
      { opcodeIndex: 1, inputs: [3], outputs: [4] },
    ]);
    expect(m.buffers[0]).toEqual(new Uint8Array(0));
    expect(Array.from(new Float32Array(m.buffers[1]!.slice().buffer))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.signatures).toEqual([{ key: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'x', tensorIndex: 0 }], outputs: [{ name: 'z', tensorIndex: 4 }] }]);
  });

  it('writes constant data 16-byte aligned and no empty vectors (custom options, shape signature)', () => {
    const bytes = tinyTflite();
    const root = TableReader.root(bytes);
    const buffers = root.tables(k_slots.model.buffers);
    expect(buffers[0]!.has(k_slots.buffer.data)).toBe(false);
    for (const [i, buffer] of buffers.slice(1).entries()) expect(buffer.vector(k_slots.buffer.data, 1)!.start % 16, `buffer ${i + 1}`).toBe(0);
    const graph = root.tables(k_slots.model.subgraphs)[0]!;
    // LiteRT reads an empty custom_options vector on a builtin operator as custom options.
    for (const op of graph.tables(k_slots.subgraph.operators)) expect(op.has(k_slots.operator.customOptions)).toBe(false);
    expect(graph.tables(k_slots.subgraph.tensors)[1]!.has(k_slots.tensor.shapeSignature)).toBe(false);
  });

  it('round-trips every builtin options table the exporter writes, fields off their defaults included', () => {
    const options: BuiltinOptions[] = [
      builtinOptions('Conv2DOptions', { padding: Padding.VALID, strideW: 2, strideH: 3, fusedActivationFunction: ActivationFunctionType.RELU6, dilationWFactor: 2, dilationHFactor: 4 }),
      builtinOptions('DepthwiseConv2DOptions', { padding: Padding.SAME, strideW: 1, strideH: 2, depthMultiplier: 3, fusedActivationFunction: ActivationFunctionType.RELU, dilationHFactor: 2 }),
      builtinOptions('Pool2DOptions', { padding: Padding.VALID, strideW: 2, strideH: 2, filterWidth: 3, filterHeight: 5, fusedActivationFunction: ActivationFunctionType.RELU }),
      builtinOptions('FullyConnectedOptions', { fusedActivationFunction: ActivationFunctionType.RELU, keepNumDims: true }),
      builtinOptions('SoftmaxOptions', { beta: 1 }),
      builtinOptions('ConcatenationOptions', { axis: -1, fusedActivationFunction: ActivationFunctionType.RELU6 }),
      builtinOptions('AddOptions', { fusedActivationFunction: ActivationFunctionType.RELU, potScaleInt16: false }),
      builtinOptions('MulOptions', { fusedActivationFunction: ActivationFunctionType.RELU6 }),
      builtinOptions('ReshapeOptions', { newShape: [-1, 12] }),
      builtinOptions('ReshapeOptions'),
      builtinOptions('ReducerOptions', { keepDims: true }),
      builtinOptions('ResizeBilinearOptions', { halfPixelCenters: true }),
      builtinOptions('ResizeNearestNeighborOptions', { alignCorners: true }),
    ];
    const model: TfliteModel = {
      version: 3,
      operatorCodes: [{ builtinCode: BuiltinOperator.ADD, version: 1 }],
      subgraphs: [{ tensors: [{ name: 't', type: TensorType.FLOAT32, shape: [1], buffer: 0, hasRank: true, isVariable: false }], inputs: [0], outputs: [0], operators: options.map((o) => ({ opcodeIndex: 0, inputs: [0], outputs: [0], options: o })) }],
      buffers: [new Uint8Array(0)],
      signatures: [],
    };
    expect(readTflite(writeTflite(model)).subgraphs[0]!.operators.map((o) => o.options)).toEqual(options);
    expect(options[0]).toMatchObject({ quantizedBiasType: 0 });
    expect(options[6]).toMatchObject({ potScaleInt16: false });
    expect(builtinOptions('AddOptions')).toMatchObject({ potScaleInt16: true });
  });

  it('writes codes past the one-byte field in builtin_code, with the placeholder in the old field', () => {
    const model: TfliteModel = {
      version: 3,
      operatorCodes: [{ builtinCode: BuiltinOperator.GELU, version: 2 }, { builtinCode: BuiltinOperator.CUSTOM, version: 1, customCode: 'MyOp' }],
      subgraphs: [],
      buffers: [new Uint8Array(0)],
      signatures: [],
    };
    const bytes = writeTflite(model);
    expect(readTflite(bytes).operatorCodes).toEqual(model.operatorCodes);
    const [gelu, custom] = TableReader.root(bytes).tables(k_slots.model.operatorCodes);
    expect([gelu!.int8(k_slots.operatorCode.deprecatedBuiltinCode), gelu!.int32(k_slots.operatorCode.builtinCode)]).toEqual([BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES, 150]);
    expect(custom!.int8(k_slots.operatorCode.deprecatedBuiltinCode)).toBe(32);
  });

  it('round-trips per-channel quantization with negative zero points', () => {
    const q = { scale: [0.5, 0.25], zeroPoint: [-128, 3], quantizedDimension: 3 };
    const model: TfliteModel = {
      version: 3,
      operatorCodes: [],
      subgraphs: [{ tensors: [{ name: 'q', type: TensorType.INT8, shape: [1, 1, 1, 2], buffer: 1, quantization: q, hasRank: true, isVariable: false }], inputs: [], outputs: [], operators: [] }],
      buffers: [new Uint8Array(0), Uint8Array.from([1, 255])],
      signatures: [],
    };
    const t = readTflite(writeTflite(model)).subgraphs[0]!.tensors[0]!;
    expect(t.quantization).toEqual(q);
    expect(t.type).toBe(TensorType.INT8);
  });
});
