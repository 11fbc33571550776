/**
 * Resize (and the older Upsample) by gathering source rows per axis with the
 * exact ONNX coordinate formulas, instead of TF.js's resizeBilinear /
 * resizeNearestNeighbor: those know only align_corners and half-pixel
 * centres, and round nearest neighbours their own way, so several ONNX modes
 * would come out shifted by a pixel. Gathers work on any axis, so a
 * channels-last value stays channels-last.
 */
import type { OpCall, OpDef, Value } from '../op-types';
import { required } from '../op-types';
import type { NodeAttributes } from '../attributes';

const k_nchw_to_physical = [0, 3, 1, 2];
const k_modes = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn'];

/** `outDim` is the unrounded in × scale where scales were given, as ONNX's reference computes align_corners. */
function sourceCoordinate(mode: string, x: number, scale: number, inDim: number, outDim: number): number {
  switch (mode) {
    case 'half_pixel': return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel': return outDim > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners': return outDim === 1 ? 0 : (x * (inDim - 1)) / (outDim - 1);
    case 'tf_half_pixel_for_nn': return (x + 0.5) / scale;
    default: return x / scale;
  }
}

function nearestIndex(mode: string, x: number): number {
  switch (mode) {
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
    case 'round_prefer_ceil': return Math.floor(x + 0.5);
    default: return x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
  }
}

/** Keys' cubic convolution weights for the four neighbours at distances ratio + 1, ratio, 1 − ratio, 2 − ratio (ONNX's reference). */
function cubicWeights(ratio: number, a: number): [number, number, number, number] {
  const near = (d: number) => ((a + 2) * d - (a + 3)) * d * d + 1;
  const far = (d: number) => ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  return [far(ratio + 1), near(ratio), near(1 - ratio), far(2 - ratio)];
}

function check(attrs: NodeAttributes, opset: number): string | null {
  const mode = attrs.string('mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear' && mode !== 'cubic') return `mode "${mode}"`;
  const coord = attrs.string('coordinate_transformation_mode', opset < 11 ? 'asymmetric' : 'half_pixel');
  if (!k_modes.includes(coord)) return `coordinate_transformation_mode "${coord}"`;
  if (attrs.int('antialias', 0) === 1) return 'antialias 1';
  if (attrs.string('keep_aspect_ratio_policy', 'stretch') !== 'stretch') return 'keep_aspect_ratio_policy other than stretch';
  return null;
}

async function run(call: OpCall, inputs: readonly (Value | undefined)[]): Promise<Value[]> {
  const tf = call.tf;
  const v = required(inputs[0], 'X');
  const rank = v.t.rank;
  const logical = v.nhwc ? [v.t.shape[0] ?? 1, v.t.shape[3] ?? 1, v.t.shape[1] ?? 1, v.t.shape[2] ?? 1] : [...v.t.shape];
  let scales: number[] | undefined;
  let sizes: number[] | undefined;
  if (call.opType === 'Upsample' || call.opset < 11) {
    scales = call.opset < 9 ? call.attrs.floats('scales') : await call.read(required(inputs[1], 'scales'));
  } else {
    const s = inputs[2] ? await call.read(inputs[2]) : [];
    if (s.length > 0) scales = s;
    else sizes = await call.read(required(inputs[3], 'sizes'));
  }
  const axes = call.attrs.ints('axes')?.map((a) => (a < 0 ? a + rank : a)) ?? [...new Array(rank).keys()];
  const mode = call.attrs.string('mode', 'nearest');
  const coord = call.attrs.string('coordinate_transformation_mode', call.opset < 11 ? 'asymmetric' : 'half_pixel');
  // Upsample's nearest neighbour is the floor of x / scale.
  const nearest = call.opType === 'Upsample' ? 'floor' : call.attrs.string('nearest_mode', 'round_prefer_floor');
  let t = v.t;
  axes.forEach((axis, i) => {
    const inDim = logical[axis] ?? 1;
    const outDim = sizes ? (sizes[i] ?? inDim) : Math.floor(inDim * (scales?.[i] ?? 1));
    const scale = scales ? (scales[i] ?? 1) : outDim / inDim;
    if (outDim === inDim && scale === 1) return;
    const physical = v.nhwc ? (k_nchw_to_physical[axis] ?? axis) : axis;
    const length = sizes ? outDim : inDim * scale;
    const coords = [...new Array<number>(outDim).keys()].map((x) => sourceCoordinate(coord, x, scale, inDim, length));
    if (mode === 'nearest') {
      const index = coords.map((c) => Math.min(Math.max(nearestIndex(nearest, c), 0), inDim - 1));
      t = tf.gather(t, tf.tensor1d(index, 'int32'), physical);
      return;
    }
    const shape = new Array<number>(rank).fill(1);
    shape[physical] = outDim;
    if (mode === 'cubic') {
      // Four neighbours from the one left of the coordinate (an integer coordinate counts as the right end of its interval), edges repeated; exclude_outside drops the ones outside the input and renormalises.
      const a = call.attrs.float('cubic_coeff_a', -0.75);
      const exclude = call.attrs.int('exclude_outside', 0) === 1;
      const base = coords.map((c) => Math.ceil(c) - 1);
      const weights = coords.map((c, k) => {
        const w = cubicWeights(c - (base[k] ?? 0), a);
        if (!exclude) return w;
        const kept = w.map((x, j) => ((base[k] ?? 0) - 1 + j < 0 || (base[k] ?? 0) - 1 + j >= inDim ? 0 : x));
        const sum = kept.reduce((p, q) => p + q, 0);
        return kept.map((x) => x / sum);
      });
      const src = t;
      t = [0, 1, 2, 3]
        .map((j) => {
          const index = base.map((b) => Math.min(Math.max(b - 1 + j, 0), inDim - 1));
          return tf.mul(tf.gather(src, tf.tensor1d(index, 'int32'), physical), tf.reshape(tf.tensor1d(weights.map((w) => w[j] ?? 0), 'float32'), shape));
        })
        .reduce((sum, term) => tf.add(sum, term));
      return;
    }
    const clamped = coords.map((c) => Math.min(Math.max(c, 0), inDim - 1));
    const lo = clamped.map((c) => Math.floor(c));
    const hi = lo.map((l) => Math.min(l + 1, inDim - 1));
    const w = tf.reshape(tf.tensor1d(clamped.map((c, k) => c - (lo[k] ?? 0)), 'float32'), shape);
    const a = tf.gather(t, tf.tensor1d(lo, 'int32'), physical);
    const b = tf.gather(t, tf.tensor1d(hi, 'int32'), physical);
    t = tf.add(a, tf.mul(tf.sub(b, a), w));
  });
  return [{ t, nhwc: v.nhwc }];
}

export const RESIZE_OPS: Record<string, OpDef> = {
  Resize: { layoutAware: true, check, run },
  Upsample: { layoutAware: true, check, run },
};
