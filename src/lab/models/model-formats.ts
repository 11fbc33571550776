/**
 * The model file formats the lab ships and reads: the one list the plan
 * schema, the manifest's artifact keys, fetching and every label read.
 * Types only beside one frozen table, so Node (CLI, Vite config) can import it.
 */

export const MODEL_FORMATS = Object.freeze(['onnx', 'tfjs', 'tflite'] as const);
export type ModelFormat = (typeof MODEL_FORMATS)[number];

export interface ModelFormatInfo {
  /** How a learner calls it: "ONNX". */
  label: string;
  /** A cell's name suffix when an engine reads this format instead of its own first one: "TF.js CPU (ONNX import)". */
  readAs: string;
  /**
   * `file`: one file whose bytes are the model (fetched, checked against the
   * manifest's SHA-256, handed over as bytes). `tfjs-layers`: model.json plus
   * its weight files in weights-manifest order.
   */
  files: 'file' | 'tfjs-layers';
}

export const MODEL_FORMAT_INFO: Readonly<Record<ModelFormat, ModelFormatInfo>> = Object.freeze({
  onnx: { label: 'ONNX', readAs: 'ONNX import', files: 'file' },
  tfjs: { label: 'TF.js', readAs: 'TF.js model', files: 'tfjs-layers' },
  tflite: { label: 'TFLite', readAs: '.tflite', files: 'file' },
});

/** Model bytes as fetched, before any engine has seen them: every format but TF.js layers models is one file (one member per format, so a check of the format narrows the rest). */
export type ModelPayload =
  | { format: 'onnx'; bytes: Uint8Array }
  | { format: 'tflite'; bytes: Uint8Array }
  | { format: 'tfjs'; modelJson: unknown; weightData: ArrayBuffer };

export function formatLabel(format: ModelFormat): string {
  return MODEL_FORMAT_INFO[format].label;
}
