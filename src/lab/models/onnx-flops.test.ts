import { readFileSync } from 'node:fs';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { countFlops } from './onnx-flops';
import { attr, float32Tensor, type Shape, valueInfo } from './onnx-graph';
import { encodeModel, int32Tensor } from './onnx-model-edit';
import { onnx } from './onnx-proto-import';

const zeros = (dims: number[]) => float32Tensor(`w${dims.join('x')}`, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)));

function model(input: Shape, nodes: OnnxTypes.INodeProto[], initializers: OnnxTypes.ITensorProto[] = []): Uint8Array {
  const graph: OnnxTypes.IGraphProto = {
    name: 'hand-built',
    node: nodes,
    initializer: initializers,
    input: [valueInfo('x', input, 'batch')],
    output: [valueInfo(nodes.at(-1)?.output?.[0] ?? 'y', [null], 'batch')],
  };
  return encodeModel(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph }));
}
const node = (opType: string, input: string[], output: string, attribute: OnnxTypes.IAttributeProto[] = []) => ({ opType, input, output: [output], name: output, attribute });

describe('countFlops', () => {
  it('counts a Dense layer as 2·K·N for the MatMul plus N for the bias, per row', () => {
    const w = float32Tensor('w', [9, 4], new Float32Array(36));
    const b = float32Tensor('b', [4], new Float32Array(4));
    const count = countFlops(model([null, 9], [node('MatMul', ['x', 'w'], 'm'), node('Add', ['m', 'b'], 'a'), node('Relu', ['a'], 'r'), node('Softmax', ['r'], 'y', [attr.int('axis', -1)])], [w, b]));
    expect(count.state).toBe('counted');
    if (count.state !== 'counted') return;
    // MatMul 2·9·4 = 72, Add 4, Relu 4, Softmax 3·4 = 12.
    expect(count.flopsPerRow).toBe(92);
    expect(count.byOperator).toEqual([
      { opType: 'MatMul', nodes: 1, flops: 72 },
      { opType: 'Softmax', nodes: 1, flops: 12 },
      { opType: 'Add', nodes: 1, flops: 4 },
      { opType: 'Relu', nodes: 1, flops: 4 },
    ]);
  });

  it('counts a strided, padded Conv with bias and groups', () => {
    // x [1, 4, 8, 8], W [6, 2, 3, 3] (group 2), stride 2, pads (0,0,1,1) → out [1, 6, 4, 4].
    const conv = node('Conv', ['x', 'w6x2x3x3', 'b'], 'c', [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', [0, 0, 1, 1]), attr.int('group', 2)]);
    const flatten = node('Flatten', ['c'], 'f', [attr.int('axis', 1)]);
    const dense = node('MatMul', ['f', 'w96x10'], 'y');
    const count = countFlops(model([null, 4, 8, 8], [conv, flatten, dense], [zeros([6, 2, 3, 3]), float32Tensor('b', [6], new Float32Array(6)), zeros([96, 10])]));
    // Conv: 2·(6·4·4)·2·9 = 3456, bias 96. MatMul: 2·96·10 = 1920.
    expect(count).toMatchObject({ state: 'counted', flopsPerRow: 3456 + 96 + 1920 });
  });

  it('counts Gemm with a bias, BatchNormalization, pooling and free data movement', () => {
    const nodes = [
      node('Transpose', ['x'], 't', [attr.ints('perm', [0, 3, 1, 2])]), // [1,5,5,2] → [1,2,5,5]
      node('BatchNormalization', ['t', 's', 's', 's', 's'], 'bn'), // 2·50 = 100
      node('MaxPool', ['bn'], 'p', [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]), // out [1,2,2,2]: 8·4 = 32
      node('GlobalAveragePool', ['p'], 'g'), // 8 input elements → [1,2,1,1]
      node('Reshape', ['g', 'shape'], 'r'), // [1, 2]
      node('Gemm', ['r', 'w2x3', 'c'], 'y', [attr.int('transB', 0)]), // 2·1·3·2 + 3 = 15
    ];
    const shape = { ...int32Tensor('shape', [2], [0, -1]), dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(new BigInt64Array([0n, -1n]).buffer) };
    const count = countFlops(model([null, 5, 5, 2], nodes, [float32Tensor('s', [2], new Float32Array(2)), shape, zeros([2, 3]), float32Tensor('c', [3], new Float32Array(3))]));
    expect(count).toMatchObject({ state: 'counted', flopsPerRow: 100 + 32 + 8 + 15 });
  });

  it('counts broadcasting Add and nearest Resize, Concat for free', () => {
    const nodes = [
      node('Concat', ['x', 'x'], 'cat', [attr.int('axis', 1)]), // [1,6,2,2]
      node('Resize', ['cat', '', 'scales'], 'up', [attr.string('mode', 'nearest')]), // [1,6,4,4]
      node('Add', ['up', 'bias'], 'y'), // 96 elements
    ];
    const count = countFlops(model([null, 3, 2, 2], nodes, [float32Tensor('scales', [4], Float32Array.from([1, 1, 2, 2])), float32Tensor('bias', [6, 1, 1], new Float32Array(6))]));
    expect(count).toMatchObject({ state: 'counted', flopsPerRow: 96 });
  });

  it('refuses to count an operator without a rule, naming it', () => {
    const count = countFlops(model([null, 4], [node('TopK', ['x', 'k'], 'y')]));
    expect(count).toEqual({ state: 'uncounted', reason: 'no counting rule for operator TopK ("y")' });
  });

  it('refuses a bilinear Resize rather than guessing', () => {
    const count = countFlops(model([null, 1, 2, 2], [node('Resize', ['x', '', 'scales'], 'y', [attr.string('mode', 'linear')])], [float32Tensor('scales', [4], Float32Array.from([1, 1, 2, 2]))]));
    expect(count.state).toBe('uncounted');
  });

  // Expected totals computed independently: ONNX's own shape inference (python3-onnx 1.12, batch set to 1) and the same rules.
  it.each([
    ['cps-wage', 1768, { MatMul: 1664, Add: 50, Relu: 48, Softmax: 6 }],
    ['fashion-mnist-cnn', 164680, { Conv: 143472, MatMul: 15680, BatchNormalization: 3136, Relu: 2352, Softmax: 30, Add: 10, Transpose: 0, Flatten: 0 }],
    ['esrgan-slim-x2', 456597504, { Conv: 456294400, Add: 196608, Relu: 106496, Concat: 0, Resize: 0, Transpose: 0 }],
  ])('counts the zoo model %s exactly', (id, total, byOp) => {
    const count = countFlops(new Uint8Array(readFileSync(`public/models/${id}/onnx/model.fp32.onnx`)));
    if (count.state !== 'counted') throw new Error(count.reason);
    expect(count.flopsPerRow).toBe(total);
    expect(Object.fromEntries(count.byOperator.map((o) => [o.opType, o.flops]))).toEqual(byOp);
  });
});
