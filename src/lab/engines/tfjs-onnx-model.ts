/**
 * A TF.js engine's session over an ONNX file: the lab's importer
 * (src/lab/onnx-import) checks the graph and runs it with TF.js operations on
 * the engine's backend. An operator, type or attribute the importer lacks is
 * an EngineUnsupportedError naming it, before anything runs.
 */
import type * as Tf from '@tensorflow/tfjs';
import { OnnxGraphRunner } from '../onnx-import/graph-runner';
import { importOnnxGraph } from '../onnx-import/graph-import';
import { OnnxImportError } from '../onnx-import/import-errors';
import type { TensorShapeSpec } from './engine';
import { EngineUnsupportedError, type UnsupportedKind } from './unsupported';

/** One model a TF.js session runs: a layers model or an imported ONNX graph. */
export interface TfjsModelRunner {
  /** The model's output for `x`; the caller disposes both. */
  predict(x: Tf.Tensor): Promise<Tf.Tensor>;
  dispose(): void;
}

const k_importer_source = "the lab's ONNX importer (its operator table, src/lab/onnx-import/operators.ts)";

function unsupportedKind(error: OnnxImportError): UnsupportedKind | null {
  switch (error.problem) {
    case 'operator':
      return 'operator';
    case 'data-type':
      return 'data-type';
    case 'attribute':
      return 'attribute';
    default:
      return null;
  }
}

function imported(bytes: Uint8Array, label: string): ReturnType<typeof importOnnxGraph> {
  try {
    return importOnnxGraph(bytes);
  } catch (error) {
    if (!(error instanceof OnnxImportError)) throw error;
    const kind = unsupportedKind(error);
    if (!kind) throw error;
    const subject = error.missing.length > 0 ? error.missing.map((m) => m.op).join(', ') : error.problem;
    throw new EngineUnsupportedError({ kind, subject, source: k_importer_source, engineWords: error.message }, `${label} cannot run this ONNX model: ${error.message}`);
  }
}

export async function importedOnnxModel(tf: typeof Tf, bytes: Uint8Array, shape: TensorShapeSpec, label: string): Promise<TfjsModelRunner> {
  const graph = imported(bytes, label);
  if (graph.inputs.length !== 1) throw new Error(`The ONNX model has ${graph.inputs.length} inputs; the lab feeds one ("${shape.inputName}")`);
  const outputIndex = graph.outputs.indexOf(shape.outputName);
  if (outputIndex < 0) throw new Error(`The ONNX model has no output named "${shape.outputName}" (it has ${graph.outputs.join(', ')})`);
  const runner = new OnnxGraphRunner(tf, graph);
  // Weights go to the backend now, so that their upload counts in session creation, not in the first run.
  await runner.prepare();
  const inputName = graph.inputs[0]?.name ?? shape.inputName;
  return {
    async predict(x) {
      const outputs = await runner.run({ [inputName]: x });
      outputs.forEach((t, i) => {
        if (i !== outputIndex) t.dispose();
      });
      const y = outputs[outputIndex];
      if (!y) throw new Error(`The ONNX graph gave no "${shape.outputName}" output`);
      return y;
    },
    dispose: () => runner.dispose(),
  };
}
