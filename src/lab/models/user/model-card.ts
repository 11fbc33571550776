/**
 * The model card of a model a user brought: what the file is (inputs,
 * outputs, operators, size, work per row), what each engine is predicted to
 * do with it before anything runs, what the lab changed to measure it, and
 * the variants it made. Plain data: it crosses worker boundaries, goes into
 * the API's answer and is shown by the UI as it is.
 */
import type { EngineId } from '../../engines/engine-descriptors';
import type { FlopCount } from '../onnx-flops';
import type { ModelFormat } from '../model-formats';

/** A dimension: a size, or the name of a symbolic one ('?' when the file leaves it unnamed). */
export type CardDim = number | string;

export interface CardTensor {
  name: string;
  /** 'float32', 'int64', … or a structured type such as 'seq(map(int64, float32))'. */
  type: string;
  /** null when the file declares no shape. */
  shape: CardDim[] | null;
}

export interface CardOperator {
  op: string;
  /** '' for the default ONNX domain; 'ai.onnx.ml', 'com.microsoft', … otherwise. For TF.js: the layer class or graph op. */
  domain: string;
  count: number;
}

/**
 * What an engine is predicted to do with this model, before running:
 * `runs` (everything it needs is in its tables), `cannot` (it positively lacks
 * something, named in `missing`), or `unknown` (nothing to check it against;
 * running it will tell). Running the plan confirms or refutes it.
 */
export interface EnginePrediction {
  engine: EngineId;
  verdict: 'runs' | 'cannot' | 'unknown';
  /** Operators, types or formats it lacks (cannot), in its own terms. */
  missing: string[];
  /** How the lab knows. */
  source: string;
}

export interface CardSymbolicDim {
  name: string;
  /** Where it appears, e.g. `input "x" axis 1`. */
  where: string[];
  /** The batch dimension takes the plan's batch sizes; any other needs a value from the user. */
  role: 'batch' | 'needs-value';
  value?: number;
}

/** What one variant the page made changed, and its size. */
export interface CardVariant {
  precision: string;
  state: 'made' | 'not-made';
  /** made: the file's size. */
  bytes?: number;
  /** What changed: operators quantized, kept in float, and why; or why it was not made. */
  summary: string;
  details: string[];
  warnings: string[];
}

export interface ModelCard {
  fileName: string;
  format: ModelFormat;
  /** For TF.js: 'layers-model' or 'graph-model'. */
  subformat?: string;
  /** Bytes of what the user picked (model.json with its weight files for TF.js). */
  bytes: number;
  /** SHA-256 of those bytes, in the order the lab reads them: what a share link records. */
  sha256: string;
  producer: string | null;
  irVersion: number | null;
  opsets: { domain: string; version: number }[];
  inputs: CardTensor[];
  outputs: CardTensor[];
  /** Most frequent first. */
  operators: CardOperator[];
  parameters: { count: number; bytes: number; note: string };
  flops: FlopCount;
  engines: EnginePrediction[];
  symbolicDims: CardSymbolicDim[];
  /** What the lab feeds and reads, and every change it made to the graph to do so (empty: the file runs as it is). */
  measured?: { input: string; output: string; outputShape: CardDim[]; changes: string[] };
  variants?: CardVariant[];
  /** Things the user should know before trusting numbers (weak calibration, a fixed batch of 1, …). */
  warnings: string[];
}
