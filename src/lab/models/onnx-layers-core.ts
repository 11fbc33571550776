/**
 * Layer converters that do not care about image layout, or that need the
 * Keras (channels-last) order: Dense, Flatten, activations, Dropout and the
 * merge layers (Concatenate, Add, Multiply, Average, Maximum, Minimum).
 */
import { applyActivation, clip, softmax } from './onnx-activations';
import { attr, type Value } from './onnx-graph';
import { type ConvertContext, type LayerConverter, fail, numberOr, positiveInt, single } from './onnx-layer-config';

/** Dense: y = activation(x · kernel + bias) over the last axis; MatMul broadcasts leading axes. */
function convertDense(ctx: ConvertContext): Value {
  const { graph, layer } = ctx;
  const input = graph.toKeras(single(ctx));
  const units = positiveInt(layer, 'units');
  const inFeatures = input.shape[input.shape.length - 1];
  const { name: kernelName, weight: kernel } = graph.addWeight(layer.name, 'kernel');
  if (kernel.shape.length !== 2 || kernel.shape[1] !== units || (inFeatures != null && kernel.shape[0] !== inFeatures)) {
    fail(layer, `kernel has shape [${kernel.shape.join(', ')}], expected [${String(inFeatures)}, ${units}]`);
  }
  let name = graph.addNode('MatMul', [input.name, kernelName], layer.name);
  if (layer.config['use_bias'] !== false) {
    const { name: biasName } = graph.addWeight(layer.name, 'bias');
    name = graph.addNode('Add', [name, biasName], layer.name);
  }
  return applyActivation(graph, { name, shape: [...input.shape.slice(0, -1), units], layout: 'keras' }, layer);
}

/**
 * Flatten in Keras order. After NHWC convolutions the exporter holds NCHW
 * values; flattening those directly would order the features channel-first
 * and scramble the next Dense's rows, so the value goes back to NHWC first.
 */
function convertFlatten(ctx: ConvertContext): Value {
  const { graph, layer } = ctx;
  const input = graph.toKeras(single(ctx));
  if (input.shape.length <= 2) return input;
  const rest = input.shape.slice(1);
  const size = rest.every((d): d is number => d !== null) ? rest.reduce((a, b) => a * b, 1) : null;
  return { name: graph.addNode('Flatten', [input.name], layer.name, [attr.int('axis', 1)]), shape: [input.shape[0] ?? null, size], layout: 'keras' };
}

/** Dropout and noise layers act only in training; at inference they are the identity. */
const identity: LayerConverter = (ctx) => single(ctx);

const convertActivationLayer: LayerConverter = (ctx) => applyActivation(ctx.graph, single(ctx), ctx.layer);

/** Keras ReLU layer: max_value caps it (ReLU6 is max_value 6); thresholds and slopes other than 0 are not supported. */
function convertRelu(ctx: ConvertContext): Value {
  const { graph, layer } = ctx;
  const input = single(ctx);
  for (const key of ['threshold', 'negative_slope']) {
    if ((layer.config[key] ?? 0) !== 0) fail(layer, `has ${key} ${JSON.stringify(layer.config[key])}; only 0 is supported`);
  }
  const max = layer.config['max_value'] ?? layer.config['maxValue'];
  if (max === null || max === undefined) return { ...input, name: graph.addNode('Relu', [input.name], layer.name) };
  if (typeof max !== 'number') fail(layer, `has a non-numeric max_value ${JSON.stringify(max)}`);
  return clip(graph, input, layer.name, 0, max);
}

function convertLeakyRelu(ctx: ConvertContext): Value {
  const input = single(ctx);
  // Keras' LeakyReLU default slope is 0.3 (ONNX's is 0.01).
  const alpha = numberOr(ctx.layer, 'alpha', 0.3);
  return { ...input, name: ctx.graph.addNode('LeakyRelu', [input.name], ctx.layer.name, [attr.float('alpha', alpha)]) };
}

function convertSoftmaxLayer(ctx: ConvertContext): Value {
  const axis = ctx.layer.config['axis'] ?? -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) fail(ctx.layer, `has axis ${JSON.stringify(axis)}; only a single integer axis is supported`);
  return softmax(ctx.graph, single(ctx), ctx.layer.name, axis);
}

/**
 * Brings all inputs of a merge layer to one layout: NCHW when they are all
 * 4-D and one already is (so a conv block stays channels-first), else Keras.
 */
function commonLayout(ctx: ConvertContext): Value[] {
  const { graph, layer, inputs } = ctx;
  if (inputs.length < 2) fail(layer, `merges at least two inputs, got ${inputs.length}`);
  const allImages = inputs.every((v) => v.shape.length === 4);
  const toNchw = allImages && inputs.some((v) => v.layout === 'nchw');
  return inputs.map((v) => (toNchw ? graph.toNchw(v) : graph.toKeras(v)));
}

/** Position of a Keras (NHWC) axis in an NCHW tensor. */
const k_nchw_position_of_nhwc_axis = [0, 2, 3, 1];

function convertConcatenate(ctx: ConvertContext): Value {
  const { graph, layer } = ctx;
  const inputs = commonLayout(ctx);
  const first = inputs[0] as Value;
  const rank = first.shape.length;
  const rawAxis = ctx.layer.config['axis'] ?? -1;
  if (typeof rawAxis !== 'number' || !Number.isInteger(rawAxis) || rawAxis < -rank || rawAxis >= rank || rawAxis === 0 || rawAxis === -rank) {
    fail(layer, `has axis ${JSON.stringify(rawAxis)}; expected a non-batch axis of a rank-${rank} input`);
  }
  const kerasAxis = rawAxis < 0 ? rank + rawAxis : rawAxis;
  const onnxAxis = first.layout === 'nchw' ? (k_nchw_position_of_nhwc_axis[kerasAxis] as number) : kerasAxis;
  const shape = [...first.shape];
  shape[kerasAxis] = inputs.reduce<number | null>((sum, v) => {
    const d = v.shape[kerasAxis];
    return sum === null || d === null || d === undefined ? null : sum + d;
  }, 0);
  inputs.forEach((v) => {
    if (v.shape.length !== rank || v.shape.some((d, i) => i !== kerasAxis && i > 0 && d !== first.shape[i])) {
      fail(layer, `inputs have shapes that do not concatenate on axis ${kerasAxis}: ${inputs.map((x) => `[${x.shape.join(', ')}]`).join(', ')}`);
    }
  });
  return { name: graph.addNode('Concat', inputs.map((v) => v.name), layer.name, [attr.int('axis', onnxAxis)]), shape, layout: first.layout };
}

/** Element-wise merges of equally shaped inputs: `binary` for two inputs, `variadic` (or a chain of `binary`) for more. */
const merge =
  (binary: string, variadic?: string): LayerConverter =>
  (ctx) => {
    const { graph, layer } = ctx;
    const inputs = commonLayout(ctx);
    const first = inputs[0] as Value;
    if (inputs.some((v) => v.shape.length !== first.shape.length || v.shape.some((d, i) => i > 0 && d !== first.shape[i]))) {
      fail(layer, `needs inputs of one shape (broadcasting is not supported), got ${inputs.map((x) => `[${x.shape.join(', ')}]`).join(', ')}`);
    }
    const names = inputs.map((v) => v.name);
    if (names.length === 2 || variadic === undefined) {
      const name = names.slice(1).reduce((acc, next) => graph.addNode(binary, [acc, next], layer.name), names[0] as string);
      return { ...first, name };
    }
    return { ...first, name: graph.addNode(variadic, names, layer.name) };
  };

export const coreLayerConverters: Record<string, LayerConverter> = {
  Dense: convertDense,
  Flatten: convertFlatten,
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianDropout: identity,
  GaussianNoise: identity,
  AlphaDropout: identity,
  Activation: convertActivationLayer,
  ReLU: convertRelu,
  LeakyReLU: convertLeakyRelu,
  Softmax: convertSoftmaxLayer,
  Concatenate: convertConcatenate,
  Add: merge('Add', 'Sum'),
  Multiply: merge('Mul'),
  Average: merge('Mean', 'Mean'),
  Maximum: merge('Max', 'Max'),
  Minimum: merge('Min', 'Min'),
};


