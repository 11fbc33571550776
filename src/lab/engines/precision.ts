import type { EngineDescriptor, ModelFormat, RuntimeFact } from './engine';
import { EngineUnsupportedError } from './unsupported.ts';

/**
 * Precision variants a plan can ask for. Storage precision (how weights ship)
 * differs from compute precision (what the kernels do); every cell says both.
 * Which engine does what with each variant lives in its descriptor; this file
 * holds the vocabulary and the entries several engines share.
 */
export const PRECISIONS = Object.freeze(['fp32', 'fp16', 'fp16c', 'int8', 'int4'] as const);
export type Precision = (typeof PRECISIONS)[number];

export const PRECISION_LABELS: Readonly<Record<Precision, string>> = Object.freeze({
  fp32: 'FP32',
  fp16: 'FP16 storage',
  fp16c: 'FP16 compute',
  int8: 'INT8',
  int4: '4-bit (damaged fixture)',
});

export type NumberFormat = 'fp32' | 'fp16' | 'int8' | 'int4';
/** What the kernels really do; "fp32 (fp16 intermediates)" is FP32 arithmetic on values stored as FP16 between operations. */
export type ComputeFormat = NumberFormat | 'fp32 (dequantized)' | 'fp32 (fp16 intermediates)';

export interface PrecisionInfo {
  storage: NumberFormat;
  compute: ComputeFormat;
  /** How the lab knows, in words a learner understands. */
  how: string;
}

export type PrecisionSupport =
  | { supported: false; reason: string }
  | {
      supported: true;
      /** Which shipped artifact the cell loads (TF.js has no FP16-compute file and runs FP16-storage weights). */
      artifact: Precision;
      info: PrecisionInfo;
      /** Runtime facts that must hold once the engine has started, with what to say when one does not. */
      requires?: readonly { fact: RuntimeFact; missing: string }[];
    };

export function supports(artifact: Precision, storage: NumberFormat, compute: ComputeFormat, how: string): PrecisionSupport {
  return { supported: true, artifact, info: { storage, compute, how } };
}

export const FP32_SUPPORT: PrecisionSupport = supports('fp32', 'fp32', 'fp32', 'FP32 weights, FP32 kernels.');

export const INT4_FIXTURE_SUPPORT: PrecisionSupport = supports(
  'int4',
  'int4',
  'fp32 (dequantized)',
  'A deliberately damaged fixture: weights rounded to 16 levels per tensor but kept as FP32 numbers, so every engine computes in FP32. It exists to prove that drift is detected.',
);

/**
 * The support entry for one cell.
 * @throws EngineUnsupportedError (kind "precision") when the descriptor says the engine cannot compute it.
 */
export function precisionSupport(descriptor: EngineDescriptor, precision: Precision, format: ModelFormat = descriptor.formats[0]): Extract<PrecisionSupport, { supported: true }> {
  const support = descriptor.formatPrecisions?.[format]?.[precision] ?? descriptor.precisions[precision];
  if (!support.supported) {
    throw new EngineUnsupportedError(
      { kind: 'precision', subject: PRECISION_LABELS[precision], source: `${descriptor.label} descriptor` },
      support.reason,
    );
  }
  return support;
}

/**
 * Checks the runtime facts a precision needs against what the started engine reported.
 * @throws EngineUnsupportedError (kind "capability") naming the first missing fact.
 */
export function checkRequirements(
  descriptor: EngineDescriptor,
  support: Extract<PrecisionSupport, { supported: true }>,
  facts: Partial<Record<RuntimeFact, boolean>>,
): void {
  for (const { fact, missing } of support.requires ?? []) {
    if (facts[fact] !== true) {
      throw new EngineUnsupportedError({ kind: 'capability', subject: fact, source: `${descriptor.label} at start-up` }, missing);
    }
  }
}
