/**
 * Keras activations → ONNX nodes, for the TF.js → ONNX exporter. Element-wise
 * activations keep the value's layout; softmax runs over the Keras last axis,
 * so a channels-first image value goes back to Keras order first.
 */
import { attr, type GraphBuilder, type Value } from './onnx-graph';

type ActivationConverter = (graph: GraphBuilder, input: Value, prefix: string) => Value;

const elementwise =
  (opType: string, attributes: ReturnType<typeof attr.float>[] = []): ActivationConverter =>
  (graph, input, prefix) => ({ ...input, name: graph.addNode(opType, [input.name], prefix, attributes) });

/** ONNX Clip (opset ≥ 11) takes its bounds as scalar inputs. */
export function clip(graph: GraphBuilder, input: Value, prefix: string, min: number, max: number): Value {
  const lo = graph.addInitializer(`${prefix}/clip_min`, [], Float32Array.of(min));
  const hi = graph.addInitializer(`${prefix}/clip_max`, [], Float32Array.of(max));
  return { ...input, name: graph.addNode('Clip', [input.name, lo, hi], prefix) };
}

/** Softmax over a Keras axis (negative counts from the end). */
export function softmax(graph: GraphBuilder, input: Value, prefix: string, axis: number): Value {
  const keras = graph.toKeras(input);
  const rank = keras.shape.length;
  const positive = axis < 0 ? rank + axis : axis;
  // ONNX Softmax (opset ≥ 13) normalizes over one axis, as Keras does; -1 keeps the file independent of rank.
  const onnxAxis = positive === rank - 1 ? -1 : positive;
  return { ...keras, name: graph.addNode('Softmax', [keras.name], prefix, [attr.int('axis', onnxAxis)]) };
}

export const activationConverters: Record<string, ActivationConverter> = {
  linear: (_graph, input) => input,
  relu: elementwise('Relu'),
  relu6: (graph, input, prefix) => clip(graph, input, prefix, 0, 6),
  elu: elementwise('Elu', [attr.float('alpha', 1)]),
  // ONNX Selu's default alpha and gamma are Keras' constants rounded to float32.
  selu: elementwise('Selu'),
  sigmoid: elementwise('Sigmoid'),
  // Keras/TF.js: clip(0.2 x + 0.5, 0, 1); ONNX HardSigmoid's defaults are the same alpha and beta.
  hard_sigmoid: elementwise('HardSigmoid', [attr.float('alpha', 0.2), attr.float('beta', 0.5)]),
  // TF.js' own spelling of the same activation.
  hardSigmoid: elementwise('HardSigmoid', [attr.float('alpha', 0.2), attr.float('beta', 0.5)]),
  tanh: elementwise('Tanh'),
  softplus: elementwise('Softplus'),
  softsign: elementwise('Softsign'),
  swish: (graph, input, prefix) => {
    const gate = graph.addNode('Sigmoid', [input.name], prefix);
    return { ...input, name: graph.addNode('Mul', [input.name, gate], prefix) };
  },
  softmax: (graph, input, prefix) => softmax(graph, input, prefix, -1),
};

/** Applies the activation a layer's config names (`linear` when it names none). */
export function applyActivation(graph: GraphBuilder, input: Value, layer: { name: string; className: string; config: Record<string, unknown> }): Value {
  const activation = layer.config['activation'] ?? 'linear';
  if (typeof activation !== 'string') {
    throw new Error(`ONNX export: layer "${layer.name}" (${layer.className}) has a non-string activation ${JSON.stringify(activation)}`);
  }
  const converter = activationConverters[activation];
  if (converter === undefined) {
    throw new Error(
      `ONNX export: unsupported activation "${activation}" in layer "${layer.name}" (${layer.className}); ` +
        `supported: ${Object.keys(activationConverters).join(', ')}`,
    );
  }
  return converter(graph, input, layer.name);
}
