/**
 * The image fixtures of "bring your own model": one small Fashion-MNIST CNN,
 * trained once with TF.js in Node, written in two forms a user might bring:
 *
 * - `fashion-cnn-nchw.onnx`: the layout a PyTorch export has: NCHW input
 *   `input` [batch_size, 1, 28, 28] with a symbolic batch named `batch_size`,
 *   opset 17, Conv/Relu/MaxPool/Flatten/Gemm (transB = 1), `conv1.weight`-style
 *   initializer names and `/conv1/Conv`-style node names, logits out (no
 *   Softmax). Written by the lab's own writer (onnx-proto), not by PyTorch,
 *   and its producer says so.
 * - `fashion-cnn-graph/`: a TF.js graph model (model.json `format:
 *   graph-model` + one weight shard): the same weights in NHWC
 *   (Conv2D/BiasAdd/Relu/MaxPool/Reshape/MatMul), as tfjs-converter writes them.
 *
 * Architecture: Conv 3×3 (8, pad 1) → ReLU → MaxPool 2 → Conv 3×3 (16, pad 1)
 * → ReLU → MaxPool 2 → Flatten (784) → Dense 32 → ReLU → Dense 10 (logits).
 */
import * as tf from '@tensorflow/tfjs';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { attr } from '../../src/lab/models/onnx-graph';
import { float32Tensor } from '../../src/lab/models/onnx-model-edit';
import { onnx } from '../../src/lab/models/onnx-proto-import';
import { createRng } from '../../src/lab/util/random';
import { type CnnTrainConfig, trainCnn } from '../models/train-fashion-cnn';

export const k_cnn_fixture_config: CnnTrainConfig = { seed: 4242, trainImages: 6000, epochs: 2, batchSize: 32, learningRate: 0.002, filters: [8, 16] };
const k_hidden = 32;

/** Folder names of the image-folder fixture, one per class, numbered so that sorted order is label order (ImageFolder's rule). */
export const k_class_folders = ['0-t-shirt-top', '1-trouser', '2-pullover', '3-dress', '4-coat', '5-sandal', '6-shirt', '7-sneaker', '8-bag', '9-ankle-boot'] as const;

function buildFixtureCnn(c: CnnTrainConfig): tf.Sequential {
  const seeds = createRng(c.seed);
  const glorot = (): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: Math.floor(seeds() * 2 ** 31) });
  return tf.sequential({
    name: 'byom_cnn',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: c.filters[0], kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: glorot() }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ name: 'conv2', filters: c.filters[1], kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: glorot() }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'fc1', units: k_hidden, activation: 'relu', kernelInitializer: glorot() }),
      // Trained with softmax; the files carry the logits before it, as a PyTorch classifier's forward() returns.
      tf.layers.dense({ name: 'fc2', units: 10, activation: 'softmax', kernelInitializer: glorot() }),
    ],
  });
}

/** Keras-layout weights (HWIO kernels, [in, out] dense kernels). */
export interface CnnWeights {
  conv1: { kernel: Float32Array; bias: Float32Array };
  conv2: { kernel: Float32Array; bias: Float32Array };
  fc1: { kernel: Float32Array; bias: Float32Array };
  fc2: { kernel: Float32Array; bias: Float32Array };
}

export async function trainFixtureCnn(inputs: Float32Array, labels: Uint8Array, log: (line: string) => void): Promise<CnnWeights> {
  const { model } = await trainCnn(inputs, labels, k_cnn_fixture_config, (epoch, loss, s) => log(`  epoch ${epoch + 1}: loss ${loss.toFixed(4)} (${s.toFixed(0)} s)`), buildFixtureCnn);
  const layer = (name: string) => {
    const [kernel, bias] = model.getLayer(name).getWeights();
    if (!kernel || !bias) throw new Error(`layer ${name} has no kernel and bias`);
    return { kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array };
  };
  const weights = { conv1: layer('conv1'), conv2: layer('conv2'), fc1: layer('fc1'), fc2: layer('fc2') };
  model.dispose();
  return weights;
}

/** Keras conv kernel [kh, kw, cin, cout] → ONNX [cout, cin, kh, kw]. */
function hwioToOihw(kernel: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let h = 0; h < kh; h++) for (let w = 0; w < kw; w++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + h) * kw + w] = kernel[((h * kw + w) * cin + i) * cout + o] as number;
  return out;
}

/**
 * Dense kernel [in, out] → Gemm transB weight [out, in]. `nhwc` gives the
 * input's spatial layout after the Keras Flatten (h, w, c): the ONNX graph
 * flattens NCHW (c, h, w), so rows are permuted to that order.
 */
function denseToGemm(kernel: Float32Array, inputs: number, outputs: number, nhwc?: { h: number; w: number; c: number }): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let i = 0; i < inputs; i++) {
    let source = i;
    if (nhwc) {
      const c = Math.floor(i / (nhwc.h * nhwc.w));
      const h = Math.floor((i % (nhwc.h * nhwc.w)) / nhwc.w);
      const w = i % nhwc.w;
      source = (h * nhwc.w + w) * nhwc.c + c;
    }
    for (let o = 0; o < outputs; o++) out[o * inputs + i] = kernel[source * outputs + o] as number;
  }
  return out;
}

/** The NCHW ONNX file, PyTorch-export-shaped (see the file header). */
export function cnnOnnxNchw(weights: CnnWeights): Uint8Array {
  const [f1, f2] = k_cnn_fixture_config.filters;
  const flat = f2 * 7 * 7;
  const initializer = [
    float32Tensor('conv1.weight', [f1, 1, 3, 3], hwioToOihw(weights.conv1.kernel, 3, 3, 1, f1)),
    float32Tensor('conv1.bias', [f1], weights.conv1.bias),
    float32Tensor('conv2.weight', [f2, f1, 3, 3], hwioToOihw(weights.conv2.kernel, 3, 3, f1, f2)),
    float32Tensor('conv2.bias', [f2], weights.conv2.bias),
    float32Tensor('fc1.weight', [k_hidden, flat], denseToGemm(weights.fc1.kernel, flat, k_hidden, { h: 7, w: 7, c: f2 })),
    float32Tensor('fc1.bias', [k_hidden], weights.fc1.bias),
    float32Tensor('fc2.weight', [10, k_hidden], denseToGemm(weights.fc2.kernel, k_hidden, 10)),
    float32Tensor('fc2.bias', [10], weights.fc2.bias),
  ];
  const node = (opType: string, scope: string, inputs: string[], output: string, attribute: OnnxTypes.IAttributeProto[] = []): OnnxTypes.INodeProto => ({
    opType,
    name: `/${scope}/${opType}`,
    input: inputs,
    output: [output],
    attribute,
  });
  const conv = [attr.ints('dilations', [1, 1]), attr.int('group', 1), attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])];
  const pool = [attr.int('ceil_mode', 0), attr.ints('kernel_shape', [2, 2]), attr.ints('pads', [0, 0, 0, 0]), attr.ints('strides', [2, 2])];
  const gemm = [attr.float('alpha', 1), attr.float('beta', 1), attr.int('transB', 1)];
  const nodes = [
    node('Conv', 'conv1', ['input', 'conv1.weight', 'conv1.bias'], '/conv1/Conv_output_0', conv),
    node('Relu', 'relu1', ['/conv1/Conv_output_0'], '/relu1/Relu_output_0'),
    node('MaxPool', 'pool1', ['/relu1/Relu_output_0'], '/pool1/MaxPool_output_0', pool),
    node('Conv', 'conv2', ['/pool1/MaxPool_output_0', 'conv2.weight', 'conv2.bias'], '/conv2/Conv_output_0', conv),
    node('Relu', 'relu2', ['/conv2/Conv_output_0'], '/relu2/Relu_output_0'),
    node('MaxPool', 'pool2', ['/relu2/Relu_output_0'], '/pool2/MaxPool_output_0', pool),
    node('Flatten', 'flatten', ['/pool2/MaxPool_output_0'], '/flatten/Flatten_output_0', [attr.int('axis', 1)]),
    node('Gemm', 'fc1', ['/flatten/Flatten_output_0', 'fc1.weight', 'fc1.bias'], '/fc1/Gemm_output_0', gemm),
    node('Relu', 'relu3', ['/fc1/Gemm_output_0'], '/relu3/Relu_output_0'),
    node('Gemm', 'fc2', ['/relu3/Relu_output_0', 'fc2.weight', 'fc2.bias'], 'logits', gemm),
  ];
  const tensor = (name: string, dims: (number | string)[]): OnnxTypes.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const model: OnnxTypes.IModelProto = {
    irVersion: 8,
    producerName: 'inference-lab fixture (PyTorch-export layout, written by scripts/user-models/cnn-fixture.ts)',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: 17 }],
    docString: `Fashion-MNIST CNN trained with TF.js in Node (${k_cnn_fixture_config.trainImages} images, ${k_cnn_fixture_config.epochs} epochs, seed ${k_cnn_fixture_config.seed}); input NCHW pixel / 255; output logits`,
    graph: { name: 'main_graph', node: nodes, initializer, input: [tensor('input', ['batch_size', 1, 28, 28])], output: [tensor('logits', ['batch_size', 10])] },
  };
  return new Uint8Array(onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish());
}

const k_shard = 'group1-shard1of1.bin';

/** The same weights as a TF.js graph model (NHWC): model.json text and its one shard. */
export function cnnTfjsGraphModel(weights: CnnWeights): { modelJson: string; shard: Uint8Array } {
  const [f1, f2] = k_cnn_fixture_config.filters;
  const float = { type: 'DT_FLOAT' };
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const ints = (values: number[]) => ({ list: { i: values.map(String) } });
  const shape = (dims: number[]) => ({ dim: dims.map((d) => ({ size: String(d) })) });
  const constant = (name: string, dims: number[], dtype = 'DT_FLOAT') => ({ name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: shape(dims) } } } });
  const conv = (name: string, input: string, kernel: string) => ({
    name,
    op: 'Conv2D',
    input: [input, kernel],
    attr: { T: float, strides: ints([1, 1, 1, 1]), padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, dilations: ints([1, 1, 1, 1]), use_cudnn_on_gpu: { b: true }, explicit_paddings: { list: {} } },
  });
  const biasAdd = (name: string, input: string, bias: string) => ({ name, op: 'BiasAdd', input: [input, bias], attr: { T: float, data_format: { s: b64('NHWC') } } });
  const relu = (name: string, input: string) => ({ name, op: 'Relu', input: [input], attr: { T: float } });
  const pool = (name: string, input: string) => ({ name, op: 'MaxPool', input: [input], attr: { T: float, ksize: ints([1, 2, 2, 1]), strides: ints([1, 2, 2, 1]), padding: { s: b64('VALID') }, data_format: { s: b64('NHWC') }, explicit_paddings: { list: {} } } });
  const matMul = (name: string, a: string, b: string) => ({ name, op: 'MatMul', input: [a, b], attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } } });
  const flat = f2 * 7 * 7;
  const node = [
    { name: 'input', op: 'Placeholder', attr: { dtype: float, shape: { shape: shape([-1, 28, 28, 1]) } } },
    constant('conv1/kernel', [3, 3, 1, f1]),
    constant('conv1/bias', [f1]),
    constant('conv2/kernel', [3, 3, f1, f2]),
    constant('conv2/bias', [f2]),
    constant('flatten/shape', [2], 'DT_INT32'),
    constant('fc1/kernel', [flat, k_hidden]),
    constant('fc1/bias', [k_hidden]),
    constant('fc2/kernel', [k_hidden, 10]),
    constant('fc2/bias', [10]),
    conv('conv1/Conv2D', 'input', 'conv1/kernel'),
    biasAdd('conv1/BiasAdd', 'conv1/Conv2D', 'conv1/bias'),
    relu('conv1/Relu', 'conv1/BiasAdd'),
    pool('pool1/MaxPool', 'conv1/Relu'),
    conv('conv2/Conv2D', 'pool1/MaxPool', 'conv2/kernel'),
    biasAdd('conv2/BiasAdd', 'conv2/Conv2D', 'conv2/bias'),
    relu('conv2/Relu', 'conv2/BiasAdd'),
    pool('pool2/MaxPool', 'conv2/Relu'),
    { name: 'flatten/Reshape', op: 'Reshape', input: ['pool2/MaxPool', 'flatten/shape'], attr: { T: float, Tshape: { type: 'DT_INT32' } } },
    matMul('fc1/MatMul', 'flatten/Reshape', 'fc1/kernel'),
    biasAdd('fc1/BiasAdd', 'fc1/MatMul', 'fc1/bias'),
    relu('fc1/Relu', 'fc1/BiasAdd'),
    matMul('fc2/MatMul', 'fc1/Relu', 'fc2/kernel'),
    biasAdd('logits', 'fc2/MatMul', 'fc2/bias'),
  ];
  const entries: { name: string; shape: number[]; dtype: 'float32' | 'int32'; values: ArrayLike<number> }[] = [
    { name: 'conv1/kernel', shape: [3, 3, 1, f1], dtype: 'float32', values: weights.conv1.kernel },
    { name: 'conv1/bias', shape: [f1], dtype: 'float32', values: weights.conv1.bias },
    { name: 'conv2/kernel', shape: [3, 3, f1, f2], dtype: 'float32', values: weights.conv2.kernel },
    { name: 'conv2/bias', shape: [f2], dtype: 'float32', values: weights.conv2.bias },
    { name: 'flatten/shape', shape: [2], dtype: 'int32', values: [-1, flat] },
    { name: 'fc1/kernel', shape: [flat, k_hidden], dtype: 'float32', values: weights.fc1.kernel },
    { name: 'fc1/bias', shape: [k_hidden], dtype: 'float32', values: weights.fc1.bias },
    { name: 'fc2/kernel', shape: [k_hidden, 10], dtype: 'float32', values: weights.fc2.kernel },
    { name: 'fc2/bias', shape: [10], dtype: 'float32', values: weights.fc2.bias },
  ];
  const shard = new Uint8Array(entries.reduce((n, e) => n + e.values.length * 4, 0));
  const view = new DataView(shard.buffer);
  let offset = 0;
  for (const e of entries) {
    for (let i = 0; i < e.values.length; i++, offset += 4) {
      if (e.dtype === 'int32') view.setInt32(offset, e.values[i] as number, true);
      else view.setFloat32(offset, e.values[i] as number, true);
    }
  }
  const json = {
    format: 'graph-model',
    generatedBy: 'inference-lab fixture (scripts/user-models/cnn-fixture.ts)',
    convertedBy: 'inference-lab fixture writer (tfjs-converter layout)',
    modelTopology: { node, library: {}, versions: { producer: 1 } },
    signature: {
      inputs: { 'input:0': { name: 'input:0', dtype: 'DT_FLOAT', tensorShape: shape([-1, 28, 28, 1]) } },
      outputs: { 'logits:0': { name: 'logits:0', dtype: 'DT_FLOAT', tensorShape: shape([-1, 10]) } },
    },
    weightsManifest: [{ paths: [k_shard], weights: entries.map(({ name, shape, dtype }) => ({ name, shape, dtype })) }],
  };
  return { modelJson: `${JSON.stringify(json, null, 1)}\n`, shard };
}

export const k_graph_shard = k_shard;
