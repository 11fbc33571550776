import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { decodeTfjsWeights, k_onnx_ir_version, k_onnx_opset, readLayerGraph, tfjsLayersToOnnx } from './onnx-export';
import { onnx } from './onnx-proto-import';
import { dense, runOnnx, sequential, tfjsVsOnnx, weight } from './onnx-test-helpers';

// 2 → Dense(2, relu) → Dense(2, softmax), small enough to check by hand.
const k_hidden = dense('hidden', 2, 'relu', { batch_input_shape: [null, 2] });
const k_out = dense('out', 2, 'softmax');
const k_weights = [
  weight('hidden/kernel', [2, 2], [1, -1, 0.5, 2]),
  weight('hidden/bias', [2], [0, -1]),
  weight('out/kernel', [2, 2], [1, 0, 0, 1]),
  weight('out/bias', [2], [0, 1]),
];
const k_rows = [
  [1, 2],
  [0, 0],
  [-1, 1],
];

const opTypes = (graph: ReturnType<typeof onnx.ModelProto.decode>['graph']): (string | null | undefined)[] => (graph?.node ?? []).map((n) => n.opType);

/** softmax([a, b]) by hand. */
const softmax2 = (a: number, b: number): number[] => [1 / (1 + Math.exp(b - a)), 1 / (1 + Math.exp(a - b))];

function expectRowsClose(actual: number[][], expected: number[][], digits = 6): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]?.[j] ?? Number.NaN, digits)));
}

describe('tfjsLayersToOnnx', () => {
  test('writes opset 17, IR 8, a symbolic batch named "batch", MatMul+Add per Dense', () => {
    const model = onnx.ModelProto.decode(tfjsLayersToOnnx(sequential(k_hidden, k_out), k_weights));
    expect(Number(model.irVersion)).toBe(k_onnx_ir_version);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', k_onnx_opset]]);
    const graph = model.graph;
    expect(opTypes(graph)).toEqual(['MatMul', 'Add', 'Relu', 'MatMul', 'Add', 'Softmax']);
    expect(graph?.input?.map((i) => i.name)).toEqual(['features']);
    expect(graph?.output?.map((o) => o.name)).toEqual(['probabilities']);
    const inDims = graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(inDims[0]?.dimParam).toBe('batch');
    expect(Number(inDims[1]?.dimValue)).toBe(2);
    expect(graph?.initializer?.map((t) => [t.name, (t.dims ?? []).map(Number)])).toEqual([
      ['hidden/kernel', [2, 2]],
      ['hidden/bias', [2]],
      ['out/kernel', [2, 2]],
      ['out/bias', [2]],
    ]);
  });

  test('computes the hand-checked outputs', async () => {
    // hidden: xW + b = [2, 2], [0, -1], [-0.5, 2]; relu → [2, 2], [0, 0], [0, 2]; out adds [0, 1].
    const outputs = await runOnnx(tfjsLayersToOnnx(sequential(k_hidden, k_out), k_weights), k_rows);
    expectRowsClose(outputs, [softmax2(2, 3), softmax2(0, 1), softmax2(0, 3)]);
  });

  test.each([
    ['linear', [2, -2, 0.5]],
    ['sigmoid', [2, -2, 0.5].map((z) => 1 / (1 + Math.exp(-z)))],
    ['tanh', [2, -2, 0.5].map(Math.tanh)],
    ['relu', [2, 0, 0.5]],
  ])('activation %s', async (activation, expected) => {
    const topology = sequential(dense('d', 3, activation, { batch_input_shape: [null, 1] }));
    const weights = [weight('d/kernel', [1, 3], [1, -1, 0.25]), weight('d/bias', [3], [0, 0, 0])];
    expectRowsClose(await runOnnx(tfjsLayersToOnnx(topology, weights), [[2]]), [expected]);
  });

  test('a Dense without bias ends in MatMul; Activation and Dropout layers convert', async () => {
    const topology = sequential(
      dense('d', 2, 'linear', { batch_input_shape: [null, 2], use_bias: false }),
      { class_name: 'Dropout', config: { name: 'drop', rate: 0.5 } },
      { class_name: 'Activation', config: { name: 'act', activation: 'relu' } },
    );
    const bytes = tfjsLayersToOnnx(topology, [weight('d/kernel', [2, 2], [1, 0, 0, -1])]);
    expect(opTypes(onnx.ModelProto.decode(bytes).graph)).toEqual(['MatMul', 'Relu']);
    expectRowsClose(await runOnnx(bytes, [[3, 4]]), [[3, 0]]);
  });

  test('a chain with no computing node gets an Identity to carry the output name', async () => {
    const topology = sequential({ class_name: 'Dropout', config: { name: 'drop', rate: 0.1, batch_input_shape: [null, 2] } });
    const bytes = tfjsLayersToOnnx(topology, []);
    expect(opTypes(onnx.ModelProto.decode(bytes).graph)).toEqual(['Identity']);
    expectRowsClose(await runOnnx(bytes, [[1, -2]]), [[1, -2]]);
  });

  test('honours input, output and batch names', () => {
    const bytes = tfjsLayersToOnnx(sequential(k_hidden, k_out), k_weights, { inputName: 'x', outputName: 'y', batchDimName: 'n' });
    const graph = onnx.ModelProto.decode(bytes).graph;
    expect(graph?.input?.[0]?.name).toBe('x');
    expect(graph?.output?.[0]?.name).toBe('y');
    expect(graph?.output?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam).toBe('n');
  });

  test('reads a functional (Model) chain in input→output order', () => {
    const layer = (l: ReturnType<typeof dense>, from: string): object => ({ ...l, name: String(l.config['name']), inbound_nodes: [[[from, 0, 0, {}]]] });
    const topology = {
      class_name: 'Model',
      config: {
        name: 'f',
        // Listed out of order on purpose: the chain comes from inbound_nodes.
        layers: [
          layer(k_out, 'hidden'),
          { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 2] }, inbound_nodes: [] },
          layer(dense('hidden', 2, 'relu'), 'in'),
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
    };
    const graph = readLayerGraph(topology);
    expect(graph.inputShape).toEqual([null, 2]);
    expect(graph.layers.map((l) => l.name)).toEqual(['hidden', 'out']);
    expect(graph.layers.map((l) => l.inbound)).toEqual([['in'], ['hidden']]);
  });
});

describe('tfjsLayersToOnnx errors name the problem', () => {
  test('unsupported layer', () => {
    const topology = sequential(k_hidden, { class_name: 'LSTM', config: { name: 'lstm', units: 4 } });
    expect(() => tfjsLayersToOnnx(topology, k_weights)).toThrow(/unsupported layer "lstm" of class LSTM/);
  });

  test('unsupported activation', () => {
    const topology = sequential(dense('hidden', 2, 'mish', { batch_input_shape: [null, 2] }));
    expect(() => tfjsLayersToOnnx(topology, k_weights.slice(0, 2))).toThrow(/unsupported activation "mish" in layer "hidden"/);
  });

  test('missing, unused and misshapen weights', () => {
    expect(() => tfjsLayersToOnnx(sequential(k_hidden, k_out), k_weights.slice(0, 3))).toThrow(/needs weight "out\/bias"/);
    expect(() => tfjsLayersToOnnx(sequential(k_hidden), k_weights)).toThrow(/weights no layer used: out\/kernel, out\/bias/);
    const wrong = [weight('hidden/kernel', [3, 2], [0, 0, 0, 0, 0, 0]), weight('hidden/bias', [2], [0, 0])];
    expect(() => tfjsLayersToOnnx(sequential(k_hidden), wrong)).toThrow(/kernel has shape \[3, 2\], expected \[2, 2\]/);
  });

  test('unknown input shape and unsupported model classes', () => {
    expect(() => tfjsLayersToOnnx(sequential(k_out), k_weights.slice(2))).toThrow(/no batch_input_shape/);
    expect(() => tfjsLayersToOnnx({ class_name: 'Graph', config: { layers: [k_hidden] } }, k_weights)).toThrow(/unsupported model class "Graph"/);
  });

  test('a layer off the input→output path', () => {
    const topology = {
      class_name: 'Model',
      config: {
        name: 'branchy',
        layers: [
          { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 2] }, inbound_nodes: [] },
          { ...k_hidden, name: 'hidden', inbound_nodes: [[['in', 0, 0, {}]]] },
          { ...k_out, name: 'out', inbound_nodes: [[['in', 0, 0, {}]]] },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
    };
    expect(() => tfjsLayersToOnnx(topology, k_weights)).toThrow(/not on the input→output path: hidden/);
  });

  test('shared layers and Keras 3 inbound nodes', () => {
    const input = { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 2] }, inbound_nodes: [] };
    const model = (out: object): object => ({
      class_name: 'Model',
      config: { name: 'm', layers: [input, out], input_layers: [['in', 0, 0]], output_layers: [['out', 0, 0]] },
    });
    const shared = { ...k_out, name: 'out', inbound_nodes: [[['in', 0, 0, {}]], [['in', 0, 0, {}]]] };
    expect(() => tfjsLayersToOnnx(model(shared), k_weights)).toThrow(/"out" is shared/);
    const keras3 = { ...k_out, name: 'out', inbound_nodes: [{ args: [], kwargs: {} }] };
    expect(() => tfjsLayersToOnnx(model(keras3), k_weights)).toThrow(/format other than Keras 2/);
  });

  test('an input shape with unknown spatial dimensions', () => {
    const topology = sequential({ class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, null, null, 3] } });
    expect(() => tfjsLayersToOnnx(topology, [])).toThrow(/only the batch dimension may be unknown/);
  });
});

describe('decodeTfjsWeights', () => {
  test('splits concatenated float32 data by spec, in order', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5]).buffer;
    const weights = decodeTfjsWeights([{ name: 'a', shape: [2, 2], dtype: 'float32' }, { name: 'b', shape: [1], dtype: 'float32' }], data);
    expect(weights.map((w) => [w.name, w.shape, Array.from(w.values)])).toEqual([
      ['a', [2, 2], [1, 2, 3, 4]],
      ['b', [1], [5]],
    ]);
  });

  test('rejects other dtypes, quantized weights and wrong lengths', () => {
    const data = new ArrayBuffer(8);
    expect(() => decodeTfjsWeights([{ name: 'i', shape: [2], dtype: 'int32' }], data)).toThrow(/"i" is int32/);
    expect(() => decodeTfjsWeights([{ name: 'q', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8' } }], data)).toThrow(/"q" is quantized/);
    expect(() => decodeTfjsWeights([{ name: 'a', shape: [1], dtype: 'float32' }], data)).toThrow(/8 bytes, the specs use 4/);
    expect(() => decodeTfjsWeights([{ name: 'a', shape: [3], dtype: 'float32' }], data)).toThrow(/ends before weight "a"/);
  });
});

describe('same weights, same outputs: TF.js vs the exported ONNX', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const maxDiff = (model: tf.LayersModel, features: number): Promise<number> => tfjsVsOnnx(model, [16, features]);

  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const biasInit = (seed: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed });

  test('Sequential with every supported activation', async () => {
    const model = tf.sequential();
    ['relu', 'tanh', 'sigmoid', 'linear', 'softmax'].forEach((activation, i) =>
      model.add(
        tf.layers.dense({
          name: `d${i}`,
          units: 4,
          activation: activation as 'relu',
          kernelInitializer: init(i + 1),
          biasInitializer: biasInit(i + 11),
          ...(i === 0 ? { inputShape: [5] } : {}),
        }),
      ),
    );
    expect(await maxDiff(model, 5)).toBeLessThan(1e-6);
  });

  test('functional model from tf.model', async () => {
    const input = tf.input({ shape: [3], name: 'in' });
    const hidden = tf.layers.dense({ name: 'h', units: 8, activation: 'relu', kernelInitializer: init(3), biasInitializer: biasInit(4) }).apply(input);
    const output = tf.layers.dense({ name: 'o', units: 2, activation: 'softmax', kernelInitializer: init(5) }).apply(hidden) as tf.SymbolicTensor;
    expect(await maxDiff(tf.model({ inputs: input, outputs: output }), 3)).toBeLessThan(1e-6);
  });
});
