import { describe, expect, it } from 'vitest';
import { float16Bits } from '../models/float16';
import { TfliteExportError } from './export-errors';
import { onnxToTflite, permute, tfliteCalibrationTensors } from './onnx-to-tflite';
import { ActivationFunctionType, Padding, TensorType } from './tflite-format';
import { attr, f16, f32, int64Tensor, onnxModel, tensorFloats, tensorInts, writtenOps } from './tflite-test-graphs';

/** x[N,3] → MatMul W[3,2] → Add b → Relu → Softmax. */
function mlp(): Uint8Array {
  return onnxModel(
    { name: 'x', dims: [null, 3] },
    'y',
    [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h'] },
      { op: 'Add', inputs: ['h', 'b'], outputs: ['hb'] },
      { op: 'Relu', inputs: ['hb'], outputs: ['r'] },
      { op: 'Softmax', inputs: ['r'], outputs: ['y'], attributes: [attr.int('axis', -1)] },
    ],
    [f32('W', [3, 2], [1, 2, 3, 4, 5, 6]), f32('b', [2], [0.5, -0.5])],
  );
}

/** NHWC image → Transpose to NCHW → Conv 3×3 stride 2 (SAME pads) + Relu → Transpose back. */
function convNet(pads = [0, 0, 1, 1]): Uint8Array {
  const w = Array.from({ length: 2 * 1 * 3 * 3 }, (_, i) => i / 10);
  return onnxModel(
    { name: 'image', dims: [null, 4, 4, 1] },
    'out',
    [
      { op: 'Transpose', inputs: ['image'], outputs: ['nchw'], attributes: [attr.ints('perm', [0, 3, 1, 2])] },
      { op: 'Conv', inputs: ['nchw', 'K', 'B'], outputs: ['c'], attributes: [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', pads)] },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'Transpose', inputs: ['r'], outputs: ['out'], attributes: [attr.ints('perm', [0, 2, 3, 1])] },
    ],
    [f32('K', [2, 1, 3, 3], w), f32('B', [2], [0.1, 0.2])],
  );
}

describe('onnxToTflite', () => {
  it('writes MatMul + Add + Relu as one FULLY_CONNECTED with a fused RELU and the weights transposed to [out, in]', () => {
    const { model, ops } = writtenOps(onnxToTflite(mlp()).bytes);
    expect(ops.map((o) => o.op)).toEqual(['FULLY_CONNECTED', 'SOFTMAX']);
    const fc = ops[0]!;
    expect(fc.options).toMatchObject({ type: 'FullyConnectedOptions', fusedActivationFunction: ActivationFunctionType.RELU });
    expect(fc.inputs[1]!.shape).toEqual([2, 3]);
    expect(Array.from(tensorFloats(model, fc.inputs[1]!))).toEqual([1, 3, 5, 2, 4, 6]);
    expect(Array.from(tensorFloats(model, fc.inputs[2]!))).toEqual([0.5, -0.5]);
    // A dynamic batch: written as 1, signature -1; the signature names input and output.
    expect(fc.inputs[0]!.shape).toEqual([1, 3]);
    expect(fc.inputs[0]!.shapeSignature).toEqual([-1, 3]);
    expect(model.signatures[0]!.inputs[0]!.name).toBe('x');
    expect(model.signatures[0]!.outputs[0]!.name).toBe('y');
  });

  it('runs NCHW convolutions channels-last with no TRANSPOSE, SAME padding and OHWI weights', () => {
    const { model, ops } = writtenOps(onnxToTflite(convNet()).bytes);
    expect(ops.map((o) => o.op)).toEqual(['CONV_2D']);
    const conv = ops[0]!;
    expect(conv.options).toEqual({ type: 'Conv2DOptions', padding: Padding.SAME, strideH: 2, strideW: 2, fusedActivationFunction: ActivationFunctionType.RELU, dilationHFactor: 1, dilationWFactor: 1, quantizedBiasType: 0 });
    expect(conv.inputs[0]!.shape).toEqual([1, 4, 4, 1]);
    expect(conv.outputs[0]!.shape).toEqual([1, 2, 2, 2]);
    expect(conv.inputs[1]!.shape).toEqual([2, 3, 3, 1]);
    // OIHW → OHWI: with one input channel the values stay in order.
    expect(Array.from(tensorFloats(model, conv.inputs[1]!))).toEqual(Array.from({ length: 18 }, (_, i) => Math.fround(i / 10)));
  });

  it('writes a PAD before a VALID convolution when the pads are neither SAME nor VALID', () => {
    const { model, ops } = writtenOps(onnxToTflite(convNet([1, 1, 1, 1])).bytes);
    expect(ops.map((o) => o.op)).toEqual(['PAD', 'CONV_2D']);
    expect(tensorInts(model, ops[0]!.inputs[1]!, 4)).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    expect(ops[1]!.options).toMatchObject({ type: 'Conv2DOptions', padding: Padding.VALID });
  });

  it('maps a channel Concat to the NHWC axis and nearest Resize to RESIZE_NEAREST_NEIGHBOR', () => {
    const bytes = onnxModel(
      { name: 'image', dims: [null, 2, 2, 1] },
      'out',
      [
        { op: 'Transpose', inputs: ['image'], outputs: ['nchw'], attributes: [attr.ints('perm', [0, 3, 1, 2])] },
        { op: 'Conv', inputs: ['nchw', 'K'], outputs: ['c'], attributes: [attr.ints('kernel_shape', [1, 1])] },
        { op: 'Concat', inputs: ['nchw', 'c'], outputs: ['cat'], attributes: [attr.int('axis', 1)] },
        { op: 'Resize', inputs: ['cat', '', 'scales'], outputs: ['up'], attributes: [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')] },
        { op: 'Transpose', inputs: ['up'], outputs: ['out'], attributes: [attr.ints('perm', [0, 2, 3, 1])] },
      ],
      [f32('K', [1, 1, 1, 1], [2]), f32('scales', [4], [1, 1, 2, 2])],
    );
    const { model, ops } = writtenOps(onnxToTflite(bytes).bytes);
    expect(ops.map((o) => o.op)).toEqual(['CONV_2D', 'CONCATENATION', 'RESIZE_NEAREST_NEIGHBOR']);
    expect(ops[1]!.options).toMatchObject({ type: 'ConcatenationOptions', axis: 3 });
    expect(ops[2]!.outputs[0]!.shape).toEqual([1, 4, 4, 2]);
    expect(tensorInts(model, ops[2]!.inputs[1]!, 4)).toEqual([4, 4]);
    expect(ops[2]!.options).toEqual({ type: 'ResizeNearestNeighborOptions', alignCorners: false, halfPixelCenters: false });
  });

  it('keeps a Flatten after a channels-last value in ONNX order: the ONNX Transpose costs nothing, RESHAPE keeps the batch dynamic', () => {
    const bytes = onnxModel(
      { name: 'image', dims: [null, 2, 2, 1] },
      'flat',
      [
        { op: 'Transpose', inputs: ['image'], outputs: ['nchw'], attributes: [attr.ints('perm', [0, 3, 1, 2])] },
        { op: 'Conv', inputs: ['nchw', 'K'], outputs: ['c'], attributes: [attr.ints('kernel_shape', [1, 1])] },
        { op: 'Transpose', inputs: ['c'], outputs: ['nhwc'], attributes: [attr.ints('perm', [0, 2, 3, 1])] },
        { op: 'Flatten', inputs: ['nhwc'], outputs: ['flat'], attributes: [attr.int('axis', 1)] },
      ],
      [f32('K', [3, 1, 1, 1], [1, 2, 3])],
    );
    const { model, ops } = writtenOps(onnxToTflite(bytes).bytes);
    expect(ops.map((o) => o.op)).toEqual(['CONV_2D', 'RESHAPE']);
    expect(tensorInts(model, ops[1]!.inputs[1]!, 4)).toEqual([-1, 12]);
    expect(ops[1]!.outputs[0]!.shapeSignature).toEqual([-1, 12]);
  });

  it('writes an NCHW value that must be reshaped back to ONNX order with one TRANSPOSE', () => {
    const bytes = onnxModel(
      { name: 'image', dims: [null, 2, 2, 1] },
      'flat',
      [
        { op: 'Transpose', inputs: ['image'], outputs: ['nchw'], attributes: [attr.ints('perm', [0, 3, 1, 2])] },
        { op: 'Conv', inputs: ['nchw', 'K'], outputs: ['c'], attributes: [attr.ints('kernel_shape', [1, 1])] },
        { op: 'Reshape', inputs: ['c', 'shape'], outputs: ['flat'] },
      ],
      [f32('K', [3, 1, 1, 1], [1, 2, 3]), int64Tensor('shape', [-1, 12])],
    );
    const { model, ops } = writtenOps(onnxToTflite(bytes).bytes);
    expect(ops.map((o) => o.op)).toEqual(['CONV_2D', 'TRANSPOSE', 'RESHAPE']);
    expect(tensorInts(model, ops[1]!.inputs[1]!, 4)).toEqual([0, 3, 1, 2]);
  });

  it('names every operator use it cannot write, at once', () => {
    const bytes = onnxModel(
      { name: 'x', dims: [null, 3] },
      'y',
      [
        { op: 'Tanh', inputs: ['x'], outputs: ['t'] },
        { op: 'Gather', inputs: ['t', 'i'], outputs: ['g'] },
        { op: 'Softmax', inputs: ['g'], outputs: ['y'], attributes: [attr.int('axis', 0)] },
      ],
      [int64Tensor('i', [0])],
    );
    let error: unknown;
    try {
      onnxToTflite(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TfliteExportError);
    expect((error as TfliteExportError).missing.map((m) => m.op)).toEqual(expect.arrayContaining(['Tanh', 'Gather']));
  });

  it('stores float16 constants read through Cast as FLOAT16 tensors with a DEQUANTIZE (version 3)', () => {
    const bits = [1.5, -2, 0.25, 3, 0.5, 1].map(float16Bits);
    const bytes = onnxModel(
      { name: 'x', dims: [null, 3] },
      'y',
      [
        { op: 'Cast', inputs: ['W16'], outputs: ['W'], attributes: [attr.int('to', 1)] },
        { op: 'MatMul', inputs: ['x', 'W'], outputs: ['y'] },
      ],
      [f16('W16', [3, 2], bits)],
    );
    const { model, ops } = writtenOps(onnxToTflite(bytes).bytes);
    expect(ops.map((o) => `${o.op}@${o.version}`)).toEqual(['DEQUANTIZE@3', 'FULLY_CONNECTED@1']);
    const half = ops[0]!.inputs[0]!;
    expect(half.type).toBe(TensorType.FLOAT16);
    const stored = new Uint16Array(model.buffers[half.buffer]!.slice().buffer);
    // [in, out] → [out, in]: 1.5, 0.25, 0.5 | -2, 3, 1.
    expect(Array.from(stored)).toEqual([1.5, 0.25, 0.5, -2, 3, 1].map(float16Bits));
    expect(ops[1]!.inputs[1]).toBe(ops[0]!.outputs[0]);
  });

  it('writes full-integer INT8: QUANTIZE at the input, int8 activations from the ranges, symmetric per-channel weights, int32 biases, fixed softmax parameters', () => {
    const ranges = { x: [-1, 3], r: [0, 25.5] } as const;
    expect(tfliteCalibrationTensors(mlp())).toEqual(['x', 'r']);
    const { model, ops } = writtenOps(onnxToTflite(mlp(), { int8: { ranges } }).bytes);
    expect(ops.map((o) => `${o.op}@${o.version}`)).toEqual(['QUANTIZE@1', 'FULLY_CONNECTED@4', 'SOFTMAX@2', 'DEQUANTIZE@2']);
    const [quantize, fc, softmax, dequantize] = ops;
    expect(quantize!.inputs[0]!.type).toBe(TensorType.FLOAT32);
    expect(dequantize!.outputs[0]!.type).toBe(TensorType.FLOAT32);
    const input = fc!.inputs[0]!;
    expect(input.type).toBe(TensorType.INT8);
    // [-1, 3] over 255 steps; zero at code round(1 / (4/255)) − 128 = −64.
    expect(input.quantization!.scale[0]).toBeCloseTo(4 / 255, 7);
    expect(input.quantization!.zeroPoint).toEqual([-64]);
    const weights = fc!.inputs[1]!;
    expect(weights.type).toBe(TensorType.INT8);
    expect(weights.quantization!.zeroPoint).toEqual([0]);
    expect(weights.quantization!.scale[0]).toBeCloseTo(6 / 127, 7);
    expect(tensorInts(model, weights, 1)).toEqual([21, 64, 106, 42, 85, 127]);
    const bias = fc!.inputs[2]!;
    expect(bias.type).toBe(TensorType.INT32);
    expect(bias.quantization!.scale[0]).toBeCloseTo(Math.fround((4 / 255) * (6 / 127)), 9);
    expect(tensorInts(model, bias, 4)).toEqual([Math.round(0.5 / Math.fround(Math.fround(4 / 255) * Math.fround(6 / 127))), -Math.round(0.5 / Math.fround(Math.fround(4 / 255) * Math.fround(6 / 127)))]);
    expect(fc!.outputs[0]!.quantization!.scale[0]).toBeCloseTo(0.1, 7);
    expect(fc!.outputs[0]!.quantization!.zeroPoint).toEqual([-128]);
    expect(softmax!.outputs[0]!.quantization!.scale).toEqual([1 / 256]);
    expect(softmax!.outputs[0]!.quantization!.zeroPoint).toEqual([-128]);
  });

  it('quantizes convolution weights per output channel and gives a concatenation one set of parameters', () => {
    const bytes = onnxModel(
      { name: 'image', dims: [null, 2, 2, 1] },
      'out',
      [
        { op: 'Transpose', inputs: ['image'], outputs: ['nchw'], attributes: [attr.ints('perm', [0, 3, 1, 2])] },
        { op: 'Conv', inputs: ['nchw', 'K', 'B'], outputs: ['c'], attributes: [attr.ints('kernel_shape', [1, 1])] },
        { op: 'Concat', inputs: ['nchw', 'c'], outputs: ['cat'], attributes: [attr.int('axis', 1)] },
        { op: 'Transpose', inputs: ['cat'], outputs: ['out'], attributes: [attr.ints('perm', [0, 2, 3, 1])] },
      ],
      [f32('K', [2, 1, 1, 1], [0.5, -4]), f32('B', [2], [0, 1])],
    );
    const { ops } = writtenOps(onnxToTflite(bytes, { int8: { ranges: { image: [0, 1], c: [-4, 2] } } }).bytes);
    const conv = ops.find((o) => o.op === 'CONV_2D')!;
    expect(conv.inputs[1]!.quantization!.scale).toEqual([Math.fround(0.5 / 127), Math.fround(4 / 127)]);
    expect(conv.inputs[1]!.quantization!.quantizedDimension).toBe(0);
    expect(conv.inputs[2]!.quantization!.scale).toHaveLength(2);
    const concat = ops.find((o) => o.op === 'CONCATENATION')!;
    const params = [...concat.inputs, ...concat.outputs].map((t) => [t.quantization!.scale[0], t.quantization!.zeroPoint[0]]);
    // Union of [0, 1] and [-4, 2]: one scale 6/255 for all three.
    expect(new Set(params.map((p) => JSON.stringify(p))).size).toBe(1);
    expect(params[0]![0]).toBeCloseTo(6 / 255, 7);
  });

  it('refuses an INT8 export without a range for an activation it writes', () => {
    expect(() => onnxToTflite(mlp(), { int8: { ranges: { x: [0, 1] } } })).toThrow(/no INT8 range for "r"/);
  });
});

describe('permute', () => {
  it('moves axes as a transpose does', () => {
    const { values, dims } = permute(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]);
    expect(dims).toEqual([3, 2]);
    expect(Array.from(values)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
