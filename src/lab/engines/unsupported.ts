/**
 * What an engine positively knows it cannot do, as a value the runner can
 * trust: a cell becomes `unavailable` only through this type (or a failed
 * capability probe), never because an error message contains a word. Anything
 * else an engine throws makes the cell `errored`.
 */

export const UNSUPPORTED_KINDS = Object.freeze(['capability', 'operator', 'data-type', 'attribute', 'precision', 'format'] as const);
export type UnsupportedKind = (typeof UNSUPPORTED_KINDS)[number];

export interface UnsupportedDetail {
  kind: UnsupportedKind;
  /** What is missing: an operator ("DequantizeLinear"), a type ("FLOAT16"), a feature ("shader-f16"). */
  subject: string;
  /** How the lab knows, e.g. "onnxruntime-web 1.30 WebGL operator table". */
  source: string;
  /** The engine's own words, when it said something. */
  engineWords?: string;
}

export class EngineUnsupportedError extends Error {
  override readonly name = 'EngineUnsupportedError';
  readonly detail: UnsupportedDetail;

  constructor(detail: UnsupportedDetail, message: string) {
    super(message);
    this.detail = detail;
  }
}

export function isEngineUnsupported(error: unknown): error is EngineUnsupportedError {
  return error instanceof EngineUnsupportedError;
}
