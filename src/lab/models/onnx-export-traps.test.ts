/**
 * The known traps of TF.js (Keras, NHWC) → ONNX (NCHW), each on a tiny layer
 * with outputs worked out by hand in the comments. Inputs and outputs are NHWC
 * on both sides: the exported model takes the TF.js model's tensor as it is.
 */
import { describe, expect, test } from 'vitest';
import { tfjsLayersToOnnx } from './onnx-export';
import { onnx } from './onnx-proto-import';
import { type LayerJson, runOnnxTensor, sequential, weight } from './onnx-test-helpers';

type Graph = ReturnType<typeof onnx.ModelProto.decode>['graph'];

const graphOf = (bytes: Uint8Array): Graph => onnx.ModelProto.decode(bytes).graph;
const opTypes = (graph: Graph): string[] => (graph?.node ?? []).map((n) => n.opType ?? '');
const range = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => i + from);

/** The attributes of the first node of `opType`, as plain values. */
function attributes(graph: Graph, opType: string): Record<string, unknown> {
  const node = graph?.node?.find((n) => n.opType === opType);
  if (!node) throw new Error(`no ${opType} node`);
  const decoder = new TextDecoder();
  return Object.fromEntries(
    (node.attribute ?? []).map((a): [string, unknown] => {
      const type = onnx.AttributeProto.AttributeType;
      const value = a.type === type.INTS ? (a.ints ?? []).map(Number) : a.type === type.INT ? Number(a.i) : a.type === type.FLOAT ? a.f : a.type === type.STRING ? decoder.decode(a.s ?? new Uint8Array()) : undefined;
      return [a.name ?? '', value];
    }),
  );
}

async function run(topology: object, weights: Parameters<typeof tfjsLayersToOnnx>[1], input: number[], dims: number[]): Promise<{ data: number[]; dims: number[]; graph: Graph }> {
  const bytes = tfjsLayersToOnnx(topology, weights, { inputName: 'x', outputName: 'y' });
  const out = await runOnnxTensor(bytes, Float32Array.from(input), dims, 'x', 'y');
  return { data: Array.from(out.data), dims: out.dims, graph: graphOf(bytes) };
}

const conv = (name: string, filters: number, kernel: number, extra: Record<string, unknown> = {}): LayerJson => ({
  class_name: 'Conv2D',
  config: { name, filters, kernel_size: [kernel, kernel], strides: [1, 1], padding: 'valid', data_format: 'channels_last', activation: 'linear', use_bias: false, ...extra },
});

describe('NHWC vs NCHW', () => {
  test('Flatten after a conv flattens in Keras (NHWC) order: a Transpose back comes first', async () => {
    // 2×2 image, 2 channels, NHWC values 1..8: pixel (0,0) = [1, 2], (0,1) = [3, 4], (1,0) = [5, 6], (1,1) = [7, 8].
    // A 1×1 conv that swaps the two channels, then Flatten, then an identity Dense:
    // Keras order gives [2, 1, 4, 3, 6, 5, 8, 7]. Flattening the NCHW tensor instead would give [2, 4, 6, 8, 1, 3, 5, 7].
    const topology = sequential(
      conv('swap', 2, 1, { batch_input_shape: [null, 2, 2, 2] }),
      { class_name: 'Flatten', config: { name: 'flat' } },
      { class_name: 'Dense', config: { name: 'd', units: 8, activation: 'linear', use_bias: false } },
    );
    const identity8 = range(64, 0).map((i) => (i % 9 === 0 ? 1 : 0));
    const weights = [weight('swap/kernel', [1, 1, 2, 2], [0, 1, 1, 0]), weight('d/kernel', [8, 8], identity8)];
    const out = await run(topology, weights, range(8), [1, 2, 2, 2]);
    expect(out.data).toEqual([2, 1, 4, 3, 6, 5, 8, 7]);
    expect(opTypes(out.graph)).toEqual(['Transpose', 'Conv', 'Transpose', 'Flatten', 'MatMul']);
  });

  test('an image output comes back as NHWC; Concatenate on the channel axis concatenates channels', async () => {
    // Input 1×2 pixels [1], [2]; conv a doubles, conv b triples; concat(-1) → pixels [2, 3], [4, 6].
    const input = { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 1, 2, 1] }, inbound_nodes: [] };
    const from = (layer: LayerJson, ...names: string[]): object => ({ ...layer, name: layer.config['name'], inbound_nodes: [names.map((n) => [n, 0, 0, {}])] });
    const topology = {
      class_name: 'Functional',
      config: {
        name: 'cat',
        layers: [
          input,
          from(conv('a', 1, 1), 'in'),
          from(conv('b', 1, 1), 'in'),
          from({ class_name: 'Concatenate', config: { name: 'cat', axis: -1 } }, 'a', 'b'),
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['cat', 0, 0]],
      },
    };
    const out = await run(topology, [weight('a/kernel', [1, 1, 1, 1], [2]), weight('b/kernel', [1, 1, 1, 1], [3])], [1, 2], [1, 1, 2, 1]);
    expect(out.dims).toEqual([1, 1, 2, 2]);
    expect(out.data).toEqual([2, 3, 4, 6]);
    expect(attributes(out.graph, 'Concat')['axis']).toBe(1);
  });
});

describe("TF 'same' padding with stride 2 is asymmetric: explicit pads, extra at the end", () => {
  // 4×4 input with values v(r, c) = 4r + c + 1; out = ceil(4/2) = 2; total padding (2-1)·2 + 3 - 4 = 1 → 0 before, 1 after.
  // Output (i, j) sums rows 2i..2i+2 and columns 2j..2j+2 that exist:
  //   (0,0): (1+2+3) + (5+6+7) + (9+10+11) = 54    (0,1): (3+4) + (7+8) + (11+12) = 45
  //   (1,0): (9+10+11) + (13+14+15) = 72            (1,1): (11+12) + (15+16) = 54
  // Symmetric padding (1 before) would give (0,0) = 1+2+5+6 = 14.
  test('Conv2D 3×3, stride 2', async () => {
    const topology = sequential(conv('c', 1, 3, { strides: [2, 2], padding: 'same', batch_input_shape: [null, 4, 4, 1] }));
    const out = await run(topology, [weight('c/kernel', [3, 3, 1, 1], Array<number>(9).fill(1))], range(16), [1, 4, 4, 1]);
    expect(out.dims).toEqual([1, 2, 2, 1]);
    expect(out.data).toEqual([54, 45, 72, 54]);
    expect(attributes(out.graph, 'Conv')).toMatchObject({ pads: [0, 0, 1, 1], strides: [2, 2], kernel_shape: [3, 3] });
  });

  // 3×3 input 1..9, 2×2 window, stride 2: out 2, total padding (2-1)·2 + 2 - 3 = 1 → 0 before, 1 after.
  //   max: (0,0) max(1,2,4,5) = 5; (0,1) max(3,6) = 6; (1,0) max(7,8) = 8; (1,1) 9.
  //   average counts only real cells: (0,0) 12/4 = 3; (0,1) 9/2 = 4.5; (1,0) 15/2 = 7.5; (1,1) 9.
  test.each([
    ['MaxPooling2D', [5, 6, 8, 9]],
    ['AveragePooling2D', [3, 4.5, 7.5, 9]],
  ])('%s 2×2, stride 2', async (className, expected) => {
    const layer = { class_name: className, config: { name: 'p', pool_size: [2, 2], strides: [2, 2], padding: 'same', data_format: 'channels_last', batch_input_shape: [null, 3, 3, 1] } };
    const out = await run(sequential(layer), [], range(9), [1, 3, 3, 1]);
    expect(out.data).toEqual(expected);
    expect(attributes(out.graph, className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool')['pads']).toEqual([0, 0, 1, 1]);
  });
});

describe('BatchNormalization uses the layer’s own epsilon (Keras 1e-3, ONNX default 1e-5)', () => {
  // y = gamma (x - mean) / sqrt(var + eps) + beta with gamma 2, beta 1, mean 1, var 0.003, x = 3:
  //   eps 1e-3: 1 + 2·2/sqrt(0.004) = 1 + 63.2456 = 64.2456;  eps 1e-2: 1 + 4/sqrt(0.013) = 36.0820;
  //   ONNX's default 1e-5 would give 1 + 4/sqrt(0.00301) = 73.9085.
  test.each([
    [0.001, 64.2456],
    [0.01, 36.082],
  ])('epsilon %s', async (epsilon, expected) => {
    const topology = sequential({ class_name: 'BatchNormalization', config: { name: 'bn', axis: -1, epsilon, batch_input_shape: [null, 1] } });
    const weights = [weight('bn/gamma', [1], [2]), weight('bn/beta', [1], [1]), weight('bn/moving_mean', [1], [1]), weight('bn/moving_variance', [1], [0.003])];
    const out = await run(topology, weights, [3], [1, 1]);
    expect(out.data[0]).toBeCloseTo(expected, 3);
    expect(attributes(out.graph, 'BatchNormalization')['epsilon']).toBe(Math.fround(epsilon));
  });

  test('on an image: normalizes each channel of an NHWC input', async () => {
    // 1×1 image, 2 channels [3, 3]; channel 0 as above (eps 1e-3), channel 1 has gamma 1, beta 0, mean 0, var 0.999 → 3/sqrt(1) = 3.
    const topology = sequential({ class_name: 'BatchNormalization', config: { name: 'bn', axis: 3, epsilon: 0.001, batch_input_shape: [null, 1, 1, 2] } });
    const weights = [weight('bn/gamma', [2], [2, 1]), weight('bn/beta', [2], [1, 0]), weight('bn/moving_mean', [2], [1, 0]), weight('bn/moving_variance', [2], [0.003, 0.999])];
    const out = await run(topology, weights, [3, 3], [1, 1, 1, 2]);
    expect(out.data[0]).toBeCloseTo(64.2456, 3);
    expect(out.data[1]).toBeCloseTo(3, 5);
  });
});

describe('UpSampling2D → Resize, asymmetric coordinates, floor nearest', () => {
  test('size [2, 3] repeats rows twice and columns three times, channels kept NHWC', async () => {
    // 2×2 image, channel 0 = [[1, 2], [3, 4]], channel 1 = 10× channel 0; output pixel (r, c) = input (floor(r/2), floor(c/3)).
    const channel0 = [
      [1, 1, 1, 2, 2, 2],
      [1, 1, 1, 2, 2, 2],
      [3, 3, 3, 4, 4, 4],
      [3, 3, 3, 4, 4, 4],
    ].flat();
    const expected = channel0.flatMap((v) => [v, 10 * v]);
    const layer = { class_name: 'UpSampling2D', config: { name: 'up', size: [2, 3], interpolation: 'nearest', data_format: 'channels_last', batch_input_shape: [null, 2, 2, 2] } };
    const out = await run(sequential(layer), [], [1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    expect(out.dims).toEqual([1, 4, 6, 2]);
    expect(out.data).toEqual(expected);
    expect(attributes(out.graph, 'Resize')).toEqual({ mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  });
});
