/**
 * The 4-bit fixture (`int4`): a deliberately damaged model. Every weight the
 * INT8 variant quantizes (Conv and Dense kernels and their biases) is rounded
 * to 16 levels per tensor (affine, zero exact) and stored as float32 in both
 * formats, so every engine computes with the same damaged weights in float32.
 * It exists so tests can show that the lab notices drift (prediction flips,
 * lower attribution rank correlation); nobody should deploy it.
 */
import { roundToAffineGrid } from './affine-quantization';
import { decodeModel, encodeModel, float32Tensor, float32Values, graphOf, tensorDims } from './onnx-model-edit';
import { planQdq } from './onnx-qdq';

export const k_int4_levels = 16;

/** Names of the weights the fixture rounds (the INT8 plan's weights and biases). */
export function int4WeightNames(onnxBytes: Uint8Array): string[] {
  const plan = planQdq(decodeModel(onnxBytes));
  return [...plan.uint8Weights, ...plan.int32Biases.map((b) => b.bias)];
}

/** `values` on a 16-level per-tensor grid. */
export function int4Values(values: Float32Array): Float32Array {
  return roundToAffineGrid(values, k_int4_levels).values;
}

export function onnxToInt4Fixture(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const names = new Set(int4WeightNames(bytes));
  graph.initializer = graph.initializer.map((t) => (names.has(t.name ?? '') ? float32Tensor(t.name ?? '', tensorDims(t), int4Values(float32Values(t))) : t));
  model.docString = `${model.docString ? `${model.docString}\n` : ''}Precision variant int4 (damaged fixture): kernels and biases rounded to 16 levels per tensor, stored as float32.`;
  return encodeModel(model);
}
