/**
 * What the .tflite exporter cannot write, as values: every ONNX operator (or
 * use of one: an attribute, a data type, a layout) it lacks, collected over
 * the whole graph before it gives up, so one run names them all. LiteRT cells
 * that would read the export turn this into `unavailable` naming the first.
 */
export interface TfliteMissing {
  /** The ONNX operator ("Gather"), or "(input)", "(initializer)" for what is not a node. */
  op: string;
  /** Why, when the operator is known but this use of it is not ("group 2", "mode cubic"). */
  reason?: string;
}

export class TfliteExportError extends Error {
  override readonly name = 'TfliteExportError';
  constructor(
    readonly missing: readonly TfliteMissing[],
    message = `the lab's .tflite exporter cannot write ${missing.map(describeMissing).join(', ')}`,
  ) {
    super(message);
  }
}

export function describeMissing(m: TfliteMissing): string {
  return m.reason ? `${m.op} (${m.reason})` : m.op;
}
