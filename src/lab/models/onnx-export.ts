/**
 * TF.js layers model → ONNX, without TF.js.
 *
 * No npm package converts a TF.js model to ONNX in the browser or in Node, and
 * the lab needs both formats of the same weights to compare runtimes. This
 * exporter reads what a TF.js `model.json` holds (the Keras-style topology and
 * the weight specs + bytes) and writes an ONNX model (opset 17, IR 8) with
 * onnx-proto. It imports nothing Node-only, so the app can also convert a
 * user's uploaded model.
 *
 * Supported today: a single chain (Sequential, or a functional model whose
 * layers each take the previous one's output) of InputLayer, Dense, Activation
 * and Dropout, with activations linear/relu/sigmoid/tanh/softmax. Anything else
 * throws an error naming the layer. New layer kinds add one converter to
 * `layerConverters`; new activations one entry to `activationConverters`.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './onnx-proto-import';

export const k_onnx_opset = 17;
export const k_onnx_ir_version = 8;

/** One weight tensor of a TF.js model, decoded to float32. */
export interface TfjsWeight {
  /** As in the weights manifest, e.g. `dense_1/kernel`. */
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

/** The subset of a TF.js weights-manifest entry this exporter reads. */
export interface TfjsWeightSpec {
  name: string;
  shape: readonly number[];
  dtype: string;
  quantization?: unknown;
}

export interface OnnxExportOptions {
  /** Graph input name (default `features`). */
  inputName?: string;
  /** Graph output name (default `probabilities`). */
  outputName?: string;
  /** Name of the symbolic first dimension (default `batch`). */
  batchDimName?: string;
  /** Graph name (default: the TF.js model's name). */
  graphName?: string;
  docString?: string;
}

/** A shape while converting: `null` is a symbolic dimension. */
type Shape = (number | null)[];

/** One layer of the chain, in the form converters read. */
export interface ChainLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
}

/** What a converter gets: the graph being built and the value flowing in. */
interface ConvertContext {
  graph: GraphBuilder;
  layer: ChainLayer;
  input: string;
  inputShape: Shape;
}

interface ConvertResult {
  output: string;
  shape: Shape;
}

type LayerConverter = (ctx: ConvertContext) => ConvertResult;
type ActivationConverter = (graph: GraphBuilder, input: string, layerName: string) => string;

/** Collects nodes and initializers; hands out unique value names. */
class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly weights: Map<string, TfjsWeight>;
  private readonly usedWeights = new Set<string>();

  constructor(weights: readonly TfjsWeight[]) {
    this.weights = new Map(weights.map((w) => [w.name, w]));
  }

  /** Adds a node with one output named `${prefix}/${opType}`; returns the output name. */
  addNode(opType: string, inputs: string[], prefix: string, attribute: OnnxTypes.IAttributeProto[] = []): string {
    const output = `${prefix}/${opType}`;
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute });
    return output;
  }

  /** Adds a TF.js weight as an initializer under its own name; returns that name. */
  addWeight(layerName: string, weightName: string): TfjsWeight {
    const name = `${layerName}/${weightName}`;
    const weight = this.weights.get(name);
    if (weight === undefined) {
      const known = [...this.weights.keys()].join(', ');
      throw new Error(`ONNX export: layer "${layerName}" needs weight "${name}", which the model does not have (it has: ${known})`);
    }
    this.usedWeights.add(name);
    this.initializers.push(float32Tensor(name, weight.shape, weight.values));
    return weight;
  }

  unusedWeights(): string[] {
    return [...this.weights.keys()].filter((name) => !this.usedWeights.has(name));
  }
}

/** A float32 initializer stored as little-endian raw bytes (ONNX's byte order). */
function float32Tensor(name: string, dims: readonly number[], values: Float32Array): OnnxTypes.ITensorProto {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (values.length !== expected) {
    throw new Error(`ONNX export: weight "${name}" has ${values.length} values, its shape [${dims.join(', ')}] needs ${expected}`);
  }
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

function valueInfo(name: string, shape: Shape, batchDimName: string): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: shape.map((d) => (d === null ? { dimParam: batchDimName } : { dimValue: d })) },
      },
    },
  };
}

// ---------------------------------------------------------------- activations

const activationConverters: Record<string, ActivationConverter> = {
  linear: (_graph, input) => input,
  relu: (graph, input, layerName) => graph.addNode('Relu', [input], layerName),
  sigmoid: (graph, input, layerName) => graph.addNode('Sigmoid', [input], layerName),
  tanh: (graph, input, layerName) => graph.addNode('Tanh', [input], layerName),
  // TF.js softmax runs over the last axis; ONNX Softmax (opset ≥ 13) does too with axis = -1.
  softmax: (graph, input, layerName) =>
    graph.addNode('Softmax', [input], layerName, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }]),
};

function convertActivation(graph: GraphBuilder, input: string, layer: ChainLayer): string {
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

// --------------------------------------------------------------------- layers

function positiveInt(layer: ChainLayer, key: string): number {
  const value = layer.config[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`ONNX export: layer "${layer.name}" (${layer.className}) needs a positive integer ${key}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Dense: y = activation(x · kernel + bias) over the last axis; MatMul broadcasts leading axes. */
function convertDense({ graph, layer, input, inputShape }: ConvertContext): ConvertResult {
  const units = positiveInt(layer, 'units');
  const inFeatures = inputShape[inputShape.length - 1];
  const kernel = graph.addWeight(layer.name, 'kernel');
  if (kernel.shape.length !== 2 || kernel.shape[1] !== units || (inFeatures != null && kernel.shape[0] !== inFeatures)) {
    throw new Error(
      `ONNX export: layer "${layer.name}" (Dense) kernel has shape [${kernel.shape.join(', ')}], expected [${String(inFeatures)}, ${units}]`,
    );
  }
  let value = graph.addNode('MatMul', [input, `${layer.name}/kernel`], layer.name);
  if (layer.config['use_bias'] !== false) {
    graph.addWeight(layer.name, 'bias');
    value = graph.addNode('Add', [value, `${layer.name}/bias`], layer.name);
  }
  return { output: convertActivation(graph, value, layer), shape: [...inputShape.slice(0, -1), units] };
}

function convertActivationLayer({ graph, layer, input, inputShape }: ConvertContext): ConvertResult {
  return { output: convertActivation(graph, input, layer), shape: inputShape };
}

/** Dropout only acts in training; at inference it is the identity. */
function convertDropout({ input, inputShape }: ConvertContext): ConvertResult {
  return { output: input, shape: inputShape };
}

const layerConverters: Record<string, LayerConverter> = {
  Dense: convertDense,
  Activation: convertActivationLayer,
  Dropout: convertDropout,
};

// ------------------------------------------------------------------- topology

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function toChainLayer(raw: unknown, index: number): ChainLayer & { raw: Record<string, unknown> } {
  if (!isRecord(raw) || typeof raw['class_name'] !== 'string' || !isRecord(raw['config'])) {
    throw new Error(`ONNX export: layer #${index} of the topology is not {class_name, config}`);
  }
  const config = raw['config'];
  const name = typeof raw['name'] === 'string' ? raw['name'] : config['name'];
  if (typeof name !== 'string') throw new Error(`ONNX export: layer #${index} (${raw['class_name']}) has no name`);
  return { className: raw['class_name'], name, config, raw };
}

function batchInputShape(layer: ChainLayer): Shape | undefined {
  const shape = layer.config['batch_input_shape'] ?? layer.config['batch_shape'];
  if (!Array.isArray(shape)) return undefined;
  return shape.map((d: unknown) => (typeof d === 'number' ? d : null));
}

/** The name of the single layer feeding `layer` in a functional model. */
function inboundLayerName(layer: ChainLayer & { raw: Record<string, unknown> }): string | undefined {
  const nodes = layer.raw['inbound_nodes'];
  if (!Array.isArray(nodes) || nodes.length === 0) return undefined;
  const node: unknown = nodes[0];
  if (nodes.length !== 1 || !Array.isArray(node) || node.length !== 1 || !Array.isArray(node[0])) {
    throw new Error(`ONNX export: layer "${layer.name}" is shared or takes several inputs; only a single chain of layers is supported`);
  }
  const from: unknown = node[0][0];
  if (typeof from !== 'string') throw new Error(`ONNX export: layer "${layer.name}" has an unreadable inbound node`);
  return from;
}

/** Orders a functional model's layers from its single input to its single output. */
function functionalChain(config: Record<string, unknown>, layers: (ChainLayer & { raw: Record<string, unknown> })[]): ChainLayer[] {
  const outputs = config['output_layers'];
  const inputs = config['input_layers'];
  if (!Array.isArray(outputs) || outputs.length !== 1 || !Array.isArray(inputs) || inputs.length !== 1) {
    throw new Error('ONNX export: only models with exactly one input and one output are supported');
  }
  const byName = new Map(layers.map((l) => [l.name, l]));
  const chain: (ChainLayer & { raw: Record<string, unknown> })[] = [];
  let name: unknown = Array.isArray(outputs[0]) ? outputs[0][0] : undefined;
  while (typeof name === 'string') {
    const layer = byName.get(name);
    if (layer === undefined) throw new Error(`ONNX export: topology names a layer "${name}" it does not define`);
    if (chain.length > layers.length) throw new Error('ONNX export: the layer graph has a cycle');
    chain.unshift(layer);
    name = inboundLayerName(layer);
  }
  if (chain.length !== layers.length) {
    const unused = layers.filter((l) => !chain.includes(l)).map((l) => l.name);
    throw new Error(`ONNX export: only a single chain of layers is supported; not on the input→output path: ${unused.join(', ')}`);
  }
  return chain;
}

/** Reads a TF.js `modelTopology` into an input shape and an ordered chain of layers. */
export function readLayerChain(modelTopology: unknown): { modelName: string; inputShape: Shape; layers: ChainLayer[] } {
  // model.json nests the Keras model under `model_config` when it also carries training config.
  const top = isRecord(modelTopology) && isRecord(modelTopology['model_config']) ? modelTopology['model_config'] : modelTopology;
  if (!isRecord(top) || typeof top['class_name'] !== 'string') {
    throw new Error('ONNX export: modelTopology is not a Keras-style {class_name, config} object');
  }
  const modelClass = top['class_name'];
  const config = top['config'];
  // Keras 2.0-era Sequential configs are a bare array of layers.
  const rawLayers: unknown = Array.isArray(config) ? config : isRecord(config) ? config['layers'] : undefined;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) throw new Error(`ONNX export: ${modelClass} topology has no layers`);
  const parsed = rawLayers.map(toChainLayer);
  const modelName = isRecord(config) && typeof config['name'] === 'string' ? config['name'] : 'model';

  let layers: ChainLayer[];
  if (modelClass === 'Sequential') layers = parsed;
  else if (modelClass === 'Model' || modelClass === 'Functional') layers = functionalChain(isRecord(config) ? config : {}, parsed);
  else throw new Error(`ONNX export: unsupported model class "${modelClass}"; supported: Sequential, Model, Functional`);

  const first = layers[0];
  const inputShape = first === undefined ? undefined : batchInputShape(first);
  if (inputShape === undefined || inputShape.length < 2) {
    throw new Error('ONNX export: the first layer declares no batch_input_shape, so the input shape is unknown');
  }
  // The InputLayer only declares the shape; it becomes the graph input.
  return { modelName, inputShape, layers: layers.filter((l) => l.className !== 'InputLayer') };
}

// ---------------------------------------------------------------------- entry

/**
 * Converts a TF.js layers model to ONNX bytes.
 *
 * @param modelTopology `modelTopology` from model.json (or `ModelArtifacts`).
 * @param weights every weight, decoded (see {@link decodeTfjsWeights}).
 * @throws Error naming the layer or activation that cannot be converted, or a
 *   weight that is missing, unused or of the wrong shape.
 */
export function tfjsLayersToOnnx(modelTopology: unknown, weights: readonly TfjsWeight[], options: OnnxExportOptions = {}): Uint8Array {
  const inputName = options.inputName ?? 'features';
  const outputName = options.outputName ?? 'probabilities';
  const batchDimName = options.batchDimName ?? 'batch';
  const chain = readLayerChain(modelTopology);
  // The batch dimension is symbolic whatever size the TF.js model recorded.
  const inputShape: Shape = [null, ...chain.inputShape.slice(1)];
  if (inputShape.slice(1).some((d) => d === null)) {
    throw new Error(`ONNX export: only the batch dimension may be unknown; input shape is [${chain.inputShape.join(', ')}]`);
  }

  const graph = new GraphBuilder(weights);
  let value = inputName;
  let shape = inputShape;
  for (const layer of chain.layers) {
    const convert = layerConverters[layer.className];
    if (convert === undefined) {
      throw new Error(
        `ONNX export: unsupported layer "${layer.name}" of class ${layer.className}; ` +
          `supported: InputLayer, ${Object.keys(layerConverters).join(', ')}`,
      );
    }
    ({ output: value, shape } = convert({ graph, layer, input: value, inputShape: shape }));
  }
  const unused = graph.unusedWeights();
  if (unused.length > 0) throw new Error(`ONNX export: weights no layer used: ${unused.join(', ')}`);

  // Name the last value as the graph output: rename the node that made it, or
  // add an Identity when no node did (a chain of linear/Dropout layers only).
  const last = graph.nodes[graph.nodes.length - 1];
  if (last?.output?.[0] === value) {
    last.output = [outputName];
  } else {
    graph.nodes.push({ opType: 'Identity', input: [value], output: [outputName], name: `${outputName}/Identity` });
  }

  const model = onnx.ModelProto.create({
    irVersion: k_onnx_ir_version,
    opsetImport: [{ domain: '', version: k_onnx_opset }],
    producerName: 'inference-lab onnx-export',
    producerVersion: '1',
    docString: options.docString ?? '',
    graph: {
      name: options.graphName ?? chain.modelName,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(inputName, inputShape, batchDimName)],
      output: [valueInfo(outputName, shape, batchDimName)],
    },
  });
  // `new Uint8Array` copies: in Node protobufjs returns a pooled Buffer view.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

/**
 * Decodes the weight bytes of a TF.js model (all weight groups concatenated, in
 * manifest order) into float32 tensors.
 * @throws Error for quantized or non-float32 weights (not supported yet) and
 *   for data shorter or longer than the specs need.
 */
export function decodeTfjsWeights(specs: readonly TfjsWeightSpec[], data: ArrayBuffer): TfjsWeight[] {
  let offset = 0;
  const weights = specs.map((spec) => {
    if (spec.dtype !== 'float32' || spec.quantization !== undefined) {
      throw new Error(`ONNX export: weight "${spec.name}" is ${spec.quantization !== undefined ? 'quantized' : spec.dtype}; only float32 weights are supported`);
    }
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const end = offset + count * 4;
    if (end > data.byteLength) throw new Error(`ONNX export: weight data ends before weight "${spec.name}" (${data.byteLength} bytes)`);
    // slice() copies, so the Float32Array is aligned whatever the offset.
    const values = new Float32Array(data.slice(offset, end));
    offset = end;
    return { name: spec.name, shape: [...spec.shape], values };
  });
  if (offset !== data.byteLength) {
    throw new Error(`ONNX export: weight data has ${data.byteLength} bytes, the specs use ${offset}`);
  }
  return weights;
}
