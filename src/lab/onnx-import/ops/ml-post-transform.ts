/**
 * The `post_transform` of ai.onnx.ml's classifiers and regressors, computed
 * as onnxruntime's CPU kernels compute it (onnxruntime/core/providers/cpu/ml/
 * ml_common.h): the golden outputs of a user's scikit-learn export come from
 * onnxruntime, so its readings of the spec are the ones to reproduce — PROBIT
 * with its erf⁻¹ approximation, SOFTMAX_ZERO skipping zero scores.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { TfModule } from '../op-types';

export const POST_TRANSFORMS = Object.freeze(['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT'] as const);
export type PostTransform = (typeof POST_TRANSFORMS)[number];

export function postTransformOf(value: string): PostTransform | null {
  return (POST_TRANSFORMS as readonly string[]).includes(value) ? (value as PostTransform) : null;
}

/** onnxruntime's erf⁻¹ (a closed-form approximation, not the exact function): √2 · erf⁻¹(2p − 1). */
export function probit(tf: TfModule, p: Tf.Tensor): Tf.Tensor {
  const x = tf.sub(tf.mul(p, 2), 1);
  const sign = tf.where(tf.less(x, 0), tf.fill(x.shape, -1), tf.onesLike(x));
  const ln = tf.log(tf.mul(tf.sub(1, x), tf.add(1, x)));
  const v = tf.add(2 / (3.14159 * 0.147), tf.mul(0.5, ln));
  const v2 = tf.mul(1 / 0.147, ln);
  const v3 = tf.sub(tf.sqrt(tf.sub(tf.square(v), v2)), v);
  return tf.mul(tf.mul(sign, tf.sqrt(v3)), Math.SQRT2);
}

/** Softmax that leaves scores within 1e-7 of zero out of the sum (and scales them by e^−max). */
function softmaxZero(tf: TfModule, s: Tf.Tensor): Tf.Tensor {
  const max = tf.max(s, -1, true);
  const nonZero = tf.greater(tf.abs(s), 1e-7);
  const e = tf.where(nonZero, tf.exp(tf.sub(s, max)), tf.mul(s, tf.exp(tf.neg(max))));
  const sum = tf.sum(tf.where(nonZero, e, tf.zerosLike(e)), -1, true);
  return tf.div(e, sum);
}

/** A transform over the last axis of [N, K] scores, K ≥ 2 (or any K for the element-wise ones). */
export function applyPostTransform(tf: TfModule, scores: Tf.Tensor, transform: PostTransform): Tf.Tensor {
  switch (transform) {
    case 'NONE':
      return scores;
    case 'LOGISTIC':
      return tf.sigmoid(scores);
    case 'SOFTMAX':
      return tf.softmax(scores);
    case 'SOFTMAX_ZERO':
      return softmaxZero(tf, scores);
    case 'PROBIT':
      return probit(tf, scores);
  }
}
