/**
 * The card of a .tflite file a user brought, read with the lab's own TFLite
 * reader (src/lab/tflite): inputs and outputs, operators, parameters. Only
 * the LiteRT engines read TFLite; the others say so before anything runs.
 */
import { builtinOperatorName, type TfliteModel, type TfliteTensor, tensorTypeName } from '../../tflite/tflite-format';
import { readTflite } from '../../tflite/tflite-read';
import { predictTfliteEngines } from './engine-predictions';
import type { CardDim, CardOperator, CardSymbolicDim, CardTensor, ModelCard } from './model-card';
import { UserInputError } from './user-model-error';

/** A tensor's dimensions as the card shows them: -1 in the shape signature is "N" on the batch axis, "?" elsewhere. */
function dimsOf(t: TfliteTensor): CardDim[] {
  const signature = t.shapeSignature ?? t.shape;
  return signature.map((d, axis) => (d >= 0 ? d : axis === 0 ? 'N' : '?'));
}

function tensorOf(t: TfliteTensor): CardTensor {
  return { name: t.name || '(unnamed)', type: tensorTypeName(t.type).toLowerCase(), shape: t.hasRank ? dimsOf(t) : null };
}

function operators(model: TfliteModel): CardOperator[] {
  const counts = new Map<string, number>();
  for (const op of model.subgraphs[0]?.operators ?? []) {
    const code = model.operatorCodes[op.opcodeIndex];
    const name = code?.customCode ?? (code ? builtinOperatorName(code.builtinCode) : 'unknown');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([op, count]) => ({ op, domain: '', count })).sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
}

/**
 * Reads a .tflite file into its card.
 * @throws UserInputError when it is not a readable TFLite model, or one the lab cannot feed (several subgraphs' worth of inputs, unknown axes besides the batch).
 */
export function tfliteCard(bytes: Uint8Array, fileName: string, sha256: string): ModelCard {
  let model: TfliteModel;
  try {
    model = readTflite(bytes);
  } catch (error) {
    throw new UserInputError('corrupt', `${fileName} is not a readable TFLite model: ${error instanceof Error ? error.message : String(error)}`);
  }
  const graph = model.subgraphs[0];
  if (!graph) throw new UserInputError('corrupt', `${fileName} holds no subgraph`);
  const inputs = graph.inputs.map((i) => graph.tensors[i]).filter((t): t is TfliteTensor => t !== undefined);
  const outputs = graph.outputs.map((i) => graph.tensors[i]).filter((t): t is TfliteTensor => t !== undefined);
  const constants = graph.tensors.filter((t) => t.buffer > 0 && (model.buffers[t.buffer]?.byteLength ?? 0) > 0);
  const symbolicDims: CardSymbolicDim[] = inputs.flatMap((t) =>
    dimsOf(t).flatMap((d, axis) => (typeof d === 'string' ? [{ name: d === 'N' ? 'N' : `${t.name}[${axis}]`, where: [`input "${t.name}" axis ${axis}`], role: axis === 0 ? ('batch' as const) : ('needs-value' as const) }] : [])),
  );
  return {
    fileName,
    format: 'tflite',
    bytes: bytes.byteLength,
    sha256,
    producer: model.description ?? null,
    irVersion: null,
    opsets: [],
    inputs: inputs.map(tensorOf),
    outputs: outputs.map(tensorOf),
    operators: operators(model),
    parameters: {
      count: constants.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0),
      bytes: constants.reduce((n, t) => n + (model.buffers[t.buffer]?.byteLength ?? 0), 0),
      note: `elements of the ${constants.length} constant tensors (schema version ${model.version}); bytes as stored, quantized and float16 weights included`,
    },
    flops: { state: 'uncounted', reason: 'FLOPs are counted from ONNX graphs; this is a TFLite file' },
    engines: predictTfliteEngines(),
    symbolicDims,
    warnings: [],
  };
}
