/**
 * Image layer converters: Conv2D, DepthwiseConv2D, pooling, BatchNormalization
 * and UpSampling2D. They run channels-first (the value goes to NCHW once and
 * stays there) and keep `Value.shape` in Keras (NHWC) terms.
 *
 * Padding: TF `same` pads so that out = ceil(in / stride), and when the total
 * padding is odd the extra row/column goes at the end (bottom/right). With a
 * stride above 1 that is asymmetric, so the exporter always writes explicit
 * `pads` (begin_h, begin_w, end_h, end_w) instead of relying on auto_pad.
 */
import { applyActivation } from './onnx-activations';
import { attr, type GraphBuilder, type TfjsWeight, type Value } from './onnx-graph';
import { type ConvertContext, type LayerConverter, fail, numberOr, oneOf, pairOf, positiveInt, requireChannelsLast, requireRank, single } from './onnx-layer-config';
import type { TopologyLayer } from './tfjs-topology';

type Padding = 'valid' | 'same';

/** [begin, end] padding and output size of one spatial axis, as TF computes them. */
export function spatialPadding(inSize: number | null, kernel: number, stride: number, dilation: number, padding: Padding): { pads: [number, number]; out: number | null } {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return { pads: [0, 0], out: inSize === null ? null : Math.floor((inSize - effective) / stride) + 1 };
  if (inSize === null) {
    // Unknown size: only stride 1 has a padding that does not depend on it.
    if (stride !== 1) return { pads: [-1, -1], out: null };
    const total = effective - 1;
    return { pads: [Math.floor(total / 2), total - Math.floor(total / 2)], out: null };
  }
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + effective - inSize, 0);
  const begin = Math.floor(total / 2);
  return { pads: [begin, total - begin], out };
}

interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** ONNX order: [begin_h, begin_w, end_h, end_w]. */
  pads: number[];
  /** Output height and width. */
  outHw: [number | null, number | null];
}

function slidingWindow(layer: TopologyLayer, input: Value, kernel: [number, number], strides: [number, number], dilations: [number, number]): Window {
  const padding = oneOf<Padding>(layer, 'padding', ['valid', 'same'], 'valid');
  const h = spatialPadding(input.shape[1] ?? null, kernel[0], strides[0], dilations[0], padding);
  const w = spatialPadding(input.shape[2] ?? null, kernel[1], strides[1], dilations[1], padding);
  if (h.pads[0] < 0 || w.pads[0] < 0) fail(layer, `pads 'same' with stride [${strides.join(', ')}] on an input of unknown size; fix the input shape first`);
  return { kernel, strides, dilations, pads: [h.pads[0], w.pads[0], h.pads[1], w.pads[1]], outHw: [h.out, w.out] };
}

function windowAttributes(win: Window, withDilations: boolean): ReturnType<typeof attr.ints>[] {
  return [
    attr.ints('kernel_shape', win.kernel),
    attr.ints('strides', win.strides),
    attr.ints('pads', win.pads),
    ...(withDilations ? [attr.ints('dilations', win.dilations)] : []),
  ];
}

/** Keras kernel [kh, kw, in, out] → ONNX weight [out, in, kh, kw]. */
export function hwioToOihw(kernel: TfjsWeight): { dims: number[]; values: Float32Array } {
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const values = new Float32Array(kernel.values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) values[((o * cin + i) * kh + y) * kw + x] = kernel.values[((y * kw + x) * cin + i) * cout + o] as number;
  return { dims: [cout, cin, kh, kw], values };
}

/** Adds the bias (if the layer uses one) and returns the Conv input list. */
function convInputs(graph: GraphBuilder, layer: TopologyLayer, input: Value, weightName: string, channels: number): string[] {
  if (layer.config['use_bias'] === false) return [input.name, weightName];
  const { name, weight } = graph.addWeight(layer.name, 'bias');
  if (weight.shape.length !== 1 || weight.shape[0] !== channels) fail(layer, `bias has shape [${weight.shape.join(', ')}], expected [${channels}]`);
  return [input.name, weightName, name];
}

function convertConv2D(ctx: ConvertContext): Value {
  const { graph, layer } = ctx;
  requireChannelsLast(layer);
  const input = graph.toNchw(single(ctx));
  requireRank(layer, input, 4);
  const filters = positiveInt(layer, 'filters');
  const win = slidingWindow(layer, input, pairOf(layer, 'kernel_size'), pairOf(layer, 'strides', [1, 1]), pairOf(layer, 'dilation_rate', [1, 1]));
  if (win.dilations.some((d) => d > 1) && win.strides.some((s) => s > 1)) fail(layer, 'has both strides and dilation above 1, which Keras does not allow');
  const kernel = graph.takeWeight(layer.name, 'kernel');
  const expected = [...win.kernel, input.shape[3], filters];
  if (kernel.shape.length !== 4 || kernel.shape.some((d, i) => expected[i] !== null && d !== expected[i])) {
    fail(layer, `kernel has shape [${kernel.shape.join(', ')}], expected [${expected.map(String).join(', ')}]`);
  }
  const oihw = hwioToOihw(kernel);
  const weightName = graph.addInitializer(kernel.name, oihw.dims, oihw.values);
  const name = graph.addNode('Conv', convInputs(graph, layer, input, weightName, filters), layer.name, windowAttributes(win, true));
  const out: Value = { name, shape: [input.shape[0] ?? null, ...win.outHw, filters], layout: 'nchw' };
  return applyActivation(graph, out, layer);
}

/** Depthwise: one group per input channel; output channel c·multiplier + m comes from input channel c. */
function convertDepthwiseConv2D(ctx: ConvertContext): Value {
  const { graph, layer } = ctx;
  requireChannelsLast(layer);
  const input = graph.toNchw(single(ctx));
  requireRank(layer, input, 4);
  const channels = input.shape[3];
  if (channels === null || channels === undefined) fail(layer, 'needs a known number of input channels');
  const multiplier = numberOr(layer, 'depth_multiplier', 1);
  const win = slidingWindow(layer, input, pairOf(layer, 'kernel_size'), pairOf(layer, 'strides', [1, 1]), pairOf(layer, 'dilation_rate', [1, 1]));
  const kernel = graph.takeWeight(layer.name, 'depthwise_kernel');
  const [kh, kw] = win.kernel;
  if (kernel.shape.join() !== [kh, kw, channels, multiplier].join()) {
    fail(layer, `depthwise_kernel has shape [${kernel.shape.join(', ')}], expected [${kh}, ${kw}, ${channels}, ${multiplier}]`);
  }
  // [kh, kw, C, M] read as [kh, kw, 1, C·M] is exactly ONNX's grouped layout after the usual transpose.
  const oihw = hwioToOihw({ ...kernel, shape: [kh, kw, 1, channels * multiplier] });
  const weightName = graph.addInitializer(kernel.name, oihw.dims, oihw.values);
  const outChannels = channels * multiplier;
  const attributes = [...windowAttributes(win, true), attr.int('group', channels)];
  const name = graph.addNode('Conv', convInputs(graph, layer, input, weightName, outChannels), layer.name, attributes);
  return applyActivation(graph, { name, shape: [input.shape[0] ?? null, ...win.outHw, outChannels], layout: 'nchw' }, layer);
}

/** MaxPool / AveragePool; TF's average ignores padded cells, as ONNX's count_include_pad = 0 does. */
const pool =
  (opType: 'MaxPool' | 'AveragePool'): LayerConverter =>
  (ctx) => {
    const { graph, layer } = ctx;
    requireChannelsLast(layer);
    const input = graph.toNchw(single(ctx));
    requireRank(layer, input, 4);
    const size = pairOf(layer, 'pool_size', [2, 2]);
    const win = slidingWindow(layer, input, size, pairOf(layer, 'strides', size), [1, 1]);
    const attributes = [...windowAttributes(win, false), ...(opType === 'AveragePool' ? [attr.int('count_include_pad', 0)] : [])];
    const name = graph.addNode(opType, [input.name], layer.name, attributes);
    return { name, shape: [input.shape[0] ?? null, ...win.outHw, input.shape[3] ?? null], layout: 'nchw' };
  };

/** GlobalAveragePool / GlobalMaxPool give [N, C, 1, 1]; Flatten makes Keras' [N, C]. */
const globalPool =
  (opType: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter =>
  (ctx) => {
    const { graph, layer } = ctx;
    requireChannelsLast(layer);
    if (layer.config['keepdims'] === true) fail(layer, 'has keepdims true; not supported');
    const input = graph.toNchw(single(ctx));
    requireRank(layer, input, 4);
    const pooled = graph.addNode(opType, [input.name], layer.name);
    const name = graph.addNode('Flatten', [pooled], layer.name, [attr.int('axis', 1)]);
    return { name, shape: [input.shape[0] ?? null, input.shape[3] ?? null], layout: 'keras' };
  };

/**
 * Inference-mode BatchNormalization on the channel axis, with the layer's own
 * epsilon (Keras' default is 1e-3; ONNX's attribute defaults to 1e-5, so it is
 * always written).
 */
function convertBatchNormalization(ctx: ConvertContext): Value {
  const { graph, layer } = ctx;
  const raw = single(ctx);
  const rank = raw.shape.length;
  const axisConfig = layer.config['axis'] ?? -1;
  const axis = Array.isArray(axisConfig) && axisConfig.length === 1 ? (axisConfig[0] as unknown) : axisConfig;
  if (typeof axis !== 'number' || (axis !== -1 && axis !== rank - 1)) fail(layer, `normalizes axis ${JSON.stringify(axisConfig)}; only the last (channel) axis is supported`);
  if (rank !== 2 && rank !== 4) fail(layer, `needs a rank-2 or rank-4 input, got [${raw.shape.join(', ')}]`);
  const input = rank === 4 ? graph.toNchw(raw) : raw;
  const channels = raw.shape[rank - 1];
  if (channels === null || channels === undefined) fail(layer, 'needs a known number of channels');
  const param = (weightName: string, present: boolean, fill: number): string => {
    if (!present) return graph.addInitializer(`${layer.name}/${weightName}`, [channels], new Float32Array(channels).fill(fill));
    const { name, weight } = graph.addWeight(layer.name, weightName);
    if (weight.shape.join() !== String(channels)) fail(layer, `${weightName} has shape [${weight.shape.join(', ')}], expected [${channels}]`);
    return name;
  };
  const inputs = [
    input.name,
    param('gamma', layer.config['scale'] !== false, 1),
    param('beta', layer.config['center'] !== false, 0),
    param('moving_mean', true, 0),
    param('moving_variance', true, 1),
  ];
  const epsilon = numberOr(layer, 'epsilon', 1e-3);
  const name = graph.addNode('BatchNormalization', inputs, layer.name, [attr.float('epsilon', epsilon)]);
  return { ...input, name };
}

/**
 * UpSampling2D → Resize. TF.js resizes with alignCorners and halfPixelCenters
 * off: source = floor(destination / scale) for nearest, and the same
 * `asymmetric` mapping for bilinear.
 */
function convertUpSampling2D(ctx: ConvertContext): Value {
  const { graph, layer } = ctx;
  requireChannelsLast(layer);
  const input = graph.toNchw(single(ctx));
  requireRank(layer, input, 4);
  const [sh, sw] = pairOf(layer, 'size', [2, 2]);
  const interpolation = oneOf(layer, 'interpolation', ['nearest', 'bilinear'], 'nearest');
  const scales = graph.addInitializer(`${layer.name}/scales`, [4], Float32Array.of(1, 1, sh, sw));
  const attributes =
    interpolation === 'nearest'
      ? [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')]
      : [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'asymmetric')];
  const name = graph.addNode('Resize', [input.name, '', scales], layer.name, attributes);
  const times = (d: number | null | undefined, s: number): number | null => (d === null || d === undefined ? null : d * s);
  return { name, shape: [input.shape[0] ?? null, times(input.shape[1], sh), times(input.shape[2], sw), input.shape[3] ?? null], layout: 'nchw' };
}

export const convLayerConverters: Record<string, LayerConverter> = {
  Conv2D: convertConv2D,
  DepthwiseConv2D: convertDepthwiseConv2D,
  MaxPooling2D: pool('MaxPool'),
  AveragePooling2D: pool('AveragePool'),
  GlobalAveragePooling2D: globalPool('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPool('GlobalMaxPool'),
  BatchNormalization: convertBatchNormalization,
  UpSampling2D: convertUpSampling2D,
};
