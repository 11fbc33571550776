/**
 * Every precision variant of one model from its FP32 files, in both formats:
 * a pure function of the FP32 ONNX bytes, the FP32 TF.js weights and (for
 * INT8) the activation ranges, so a rebuild gives the same bytes and the app
 * could derive them in the browser.
 *
 * | variant | ONNX | TF.js |
 * | fp16  | float16 initializers + Cast | float16 weights-manifest quantization |
 * | fp16c | float16 graph, Cast at input/output | none (the lab loads fp16 with FP16 textures) |
 * | int8  | QDQ graph (onnx-qdq.ts) | uint8 quantization, the same codes; int32-grid Conv biases as float32 |
 * | int4  | 16-level weights as float32 | the same float32 values |
 */
import { decodeModel } from './onnx-model-edit';
import type { TfjsWeight } from './onnx-graph';
import { onnxToFp16Compute, onnxToFp16Storage } from './onnx-fp16';
import { type ActivationRanges, onnxToQdq, planQdq } from './onnx-qdq';
import { int4Values, int4WeightNames, onnxToInt4Fixture } from './int4-fixture';
import { encodeTfjsWeights, type TfjsWeightEncoding, variantModelJson } from './tfjs-weight-variants';

export const k_variant_precisions = ['fp16', 'fp16c', 'int8', 'int4'] as const;
export type VariantPrecision = (typeof k_variant_precisions)[number];

export interface VariantFiles {
  onnx: Uint8Array;
  /** model.json text and its one weight shard; absent for fp16c. */
  tfjs?: { modelJson: string; weights: Uint8Array };
}

export interface Fp32Model {
  onnx: Uint8Array;
  /** model.json fields kept in the variants. */
  tfjsJson: { format?: string; generatedBy?: string; modelTopology: object };
  tfjsWeights: readonly TfjsWeight[];
}

/** The activation tensors INT8 needs calibration ranges for. */
export function int8CalibrationTensors(onnx: Uint8Array): string[] {
  return planQdq(decodeModel(onnx)).activations;
}

export function buildPrecisionVariants(model: Fp32Model, ranges: ActivationRanges, shard: string): Record<VariantPrecision, VariantFiles> {
  const tfjs = (precision: VariantPrecision, encodingOf: (w: TfjsWeight) => TfjsWeightEncoding) => {
    const { entries, data } = encodeTfjsWeights(model.tfjsWeights, encodingOf);
    return { modelJson: variantModelJson(model.tfjsJson, entries, shard, `inference-lab precision variant ${precision}`), weights: data };
  };
  const int8 = onnxToQdq(model.onnx, ranges);
  const int4Names = new Set(int4WeightNames(model.onnx));
  return {
    fp16: { onnx: onnxToFp16Storage(model.onnx), tfjs: tfjs('fp16', () => ({ kind: 'float16' })) },
    fp16c: { onnx: onnxToFp16Compute(model.onnx) },
    int8: {
      onnx: int8.bytes,
      tfjs: tfjs('int8', (w) => {
        const q = int8.weights.get(w.name);
        if (q === undefined) return { kind: 'float32' };
        return q.kind === 'uint8' ? { kind: 'uint8', params: q.params } : { kind: 'float32', values: q.dequantized };
      }),
    },
    int4: {
      onnx: onnxToInt4Fixture(model.onnx),
      tfjs: tfjs('int4', (w) => (int4Names.has(w.name) ? { kind: 'float32', values: int4Values(w.values) } : { kind: 'float32' })),
    },
  };
}
