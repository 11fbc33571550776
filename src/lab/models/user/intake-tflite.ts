/**
 * The .tflite files of a user's ONNX model, so its LiteRT cells run like the
 * zoo's: the lab's exporter (src/lab/tflite) writes the measured FP32 graph
 * and the FP16-storage variant. What it cannot write is known here, before
 * any run, and travels in the manifest (`unwritten`), so the LiteRT cells are
 * `unavailable` naming the operator rather than "reads TFLite, not ONNX".
 */
import { ENGINE_LIST } from '../../engines/engine-descriptors';
import { errorMessage } from '../../util/errors';
import { TfliteExportError, describeMissing } from '../../tflite/export-errors';
import { onnxToTflite } from '../../tflite/onnx-to-tflite';
import type { UnwrittenFormat } from '../manifest';
import type { EnginePrediction } from './model-card';

export interface UserTflite {
  /** .tflite bytes per precision the exporter wrote. */
  written: Partial<Record<'fp32' | 'fp16', Uint8Array>>;
  /** Per precision, why no .tflite exists (the exporter's typed error, or a variant the page does not make as .tflite). */
  unwritten: Partial<Record<'fp32' | 'fp16' | 'int8', UnwrittenFormat>>;
  /** The LiteRT engines' prediction for the card, from the FP32 export. */
  prediction: Omit<EnginePrediction, 'engine'>;
}

const k_source = "the lab's ONNX → .tflite exporter";

/** Why the page writes no INT8 .tflite of a user's model. */
export const k_user_int8_tflite_reason =
  "the page writes no full-integer .tflite of your model: its reference would have to come from LiteRT.js itself (the zoo's INT8 .tflite references come from Arm NN's TFLite parser, run natively), so nothing independent would check it";

function unwrittenOf(error: unknown): UnwrittenFormat {
  if (error instanceof TfliteExportError) {
    const first = error.missing[0];
    return { kind: 'operator', subject: first ? describeMissing(first) : 'an operator', reason: error.message, source: k_source };
  }
  // Not a gap the exporter names: the cells error with these words (never unavailable on a guess).
  return { kind: 'failed', subject: 'export', reason: `${k_source} failed on this model: ${errorMessage(error)}`, source: k_source };
}

/** Exports the measured FP32 graph and, when the page made it, the FP16-storage graph. */
export function userTfliteFiles(fp32Onnx: Uint8Array, fp16Onnx: Uint8Array | undefined, fileName: string): UserTflite {
  const written: UserTflite['written'] = {};
  const unwritten: UserTflite['unwritten'] = { int8: { kind: 'precision', subject: 'INT8 .tflite', reason: k_user_int8_tflite_reason, source: k_source } };
  const description = (p: string) => `${fileName}, ${p}, exported in the page by Inference Lab's src/lab/tflite`;
  try {
    written.fp32 = onnxToTflite(fp32Onnx, { description: description('FP32') }).bytes;
  } catch (error) {
    unwritten.fp32 = unwrittenOf(error);
  }
  if (fp16Onnx && written.fp32) {
    try {
      written.fp16 = onnxToTflite(fp16Onnx, { description: description('FP16 weights') }).bytes;
    } catch (error) {
      unwritten.fp16 = unwrittenOf(error);
    }
  }
  const prediction: UserTflite['prediction'] = unwritten.fp32
    ? unwritten.fp32.kind === 'failed'
      ? { verdict: 'unknown', missing: [], source: unwritten.fp32.reason }
      : { verdict: 'cannot', missing: [unwritten.fp32.subject], source: `${k_source}: ${unwritten.fp32.reason}` }
    : { verdict: 'unknown', missing: [], source: `${k_source} wrote it (FP32${written.fp16 ? ', FP16 weights' : ''}); running the cell tells whether LiteRT.js compiles every operator` };
  return { written, unwritten, prediction };
}

/** The card's engine list with the LiteRT engines' prediction replaced by what the export found. */
export function withTflitePrediction(engines: readonly EnginePrediction[], prediction: UserTflite['prediction']): EnginePrediction[] {
  const tflite = new Set(ENGINE_LIST.filter((d) => (d.formats as readonly string[]).includes('tflite')).map((d) => d.id));
  return engines.map((e) => (tflite.has(e.engine) ? { engine: e.engine, ...prediction } : e));
}
