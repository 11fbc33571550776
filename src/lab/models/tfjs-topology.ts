/**
 * Reads a TF.js layers model's `modelTopology` (Keras 2 JSON: Sequential, or a
 * functional Model/Functional graph) into layers in evaluation order, each
 * naming the layers that feed it. Shared layers (applied more than once) and
 * layers with several outputs are not supported and say so.
 */
import type { Shape } from './onnx-graph';

export interface TopologyLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** Names of the layers whose outputs this layer takes, in argument order. */
  inbound: string[];
}

export interface LayerGraph {
  modelName: string;
  /** The layer name that stands for the model input (an InputLayer, or a made-up one for Sequential). */
  inputLayer: string;
  /** The Keras input shape, batch first. */
  inputShape: Shape;
  outputLayer: string;
  /** Every layer but the InputLayer, each after the layers it takes. */
  layers: TopologyLayer[];
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

interface RawLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
  raw: Record<string, unknown>;
}

function toRawLayer(raw: unknown, index: number): RawLayer {
  if (!isRecord(raw) || typeof raw['class_name'] !== 'string' || !isRecord(raw['config'])) {
    throw new Error(`ONNX export: layer #${index} of the topology is not {class_name, config}`);
  }
  const config = raw['config'];
  const name = typeof raw['name'] === 'string' ? raw['name'] : config['name'];
  if (typeof name !== 'string') throw new Error(`ONNX export: layer #${index} (${raw['class_name']}) has no name`);
  return { className: raw['class_name'], name, config, raw };
}

function batchInputShape(config: Record<string, unknown>): Shape | undefined {
  const shape = config['batch_input_shape'] ?? config['batch_shape'];
  if (!Array.isArray(shape)) return undefined;
  return shape.map((d: unknown) => (typeof d === 'number' ? d : null));
}

/** `[[name, 0, 0, ...]]` → name, for input_layers/output_layers with exactly one entry. */
function singleEndpoint(list: unknown, what: string): string {
  const first: unknown = Array.isArray(list) && list.length === 1 ? list[0] : undefined;
  const name: unknown = Array.isArray(first) ? first[0] : undefined;
  if (typeof name !== 'string') throw new Error(`ONNX export: only models with exactly one ${what} are supported`);
  return name;
}

/** The layers feeding one functional layer, from Keras 2 `inbound_nodes: [[[name, node, tensor, kwargs], ...]]`. */
function inboundNames(layer: RawLayer): string[] {
  const nodes = layer.raw['inbound_nodes'];
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  const node: unknown = nodes[0];
  if (nodes.length !== 1) throw new Error(`ONNX export: layer "${layer.name}" is shared (applied ${nodes.length} times); shared layers are not supported`);
  if (!Array.isArray(node)) throw new Error(`ONNX export: layer "${layer.name}" has inbound nodes in a format other than Keras 2's; not supported`);
  return node.map((entry: unknown) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw new Error(`ONNX export: layer "${layer.name}" has an unreadable inbound node`);
    if ((entry[1] ?? 0) !== 0 || (entry[2] ?? 0) !== 0) {
      throw new Error(`ONNX export: layer "${layer.name}" takes output ${String(entry[2])} of node ${String(entry[1])} of "${entry[0]}"; only single-output, unshared layers are supported`);
    }
    return entry[0];
  });
}

/** Orders layers so each comes after its inputs (depth-first from the output). */
function evaluationOrder(outputLayer: string, byName: Map<string, TopologyLayer>, inputLayer: string): TopologyLayer[] {
  const order: TopologyLayer[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (name === inputLayer || state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`ONNX export: the layer graph has a cycle through "${name}"`);
    const layer = byName.get(name);
    if (layer === undefined) throw new Error(`ONNX export: topology names a layer "${name}" it does not define`);
    state.set(name, 'visiting');
    if (layer.inbound.length === 0) throw new Error(`ONNX export: layer "${name}" takes no input and is not the model input`);
    layer.inbound.forEach(visit);
    state.set(name, 'done');
    order.push(layer);
  };
  visit(outputLayer);
  return order;
}

function functionalGraph(config: Record<string, unknown>, raws: RawLayer[], modelName: string): LayerGraph {
  const inputLayer = singleEndpoint(config['input_layers'], 'input');
  const outputLayer = singleEndpoint(config['output_layers'], 'output');
  const input = raws.find((l) => l.name === inputLayer);
  const inputShape = input === undefined ? undefined : batchInputShape(input.config);
  if (inputShape === undefined) throw new Error(`ONNX export: the input layer "${inputLayer}" declares no batch_input_shape`);
  const byName = new Map(raws.map((l) => [l.name, { className: l.className, name: l.name, config: l.config, inbound: inboundNames(l) }]));
  const layers = evaluationOrder(outputLayer, byName, inputLayer);
  const unused = raws.filter((l) => l.name !== inputLayer && !layers.some((x) => x.name === l.name)).map((l) => l.name);
  if (unused.length > 0) throw new Error(`ONNX export: layers not on the input→output path: ${unused.join(', ')}`);
  return { modelName, inputLayer, inputShape, outputLayer, layers };
}

function sequentialGraph(raws: RawLayer[], modelName: string): LayerGraph {
  const first = raws[0];
  const inputShape = first === undefined ? undefined : batchInputShape(first.config);
  if (first === undefined || inputShape === undefined) {
    throw new Error('ONNX export: the first layer declares no batch_input_shape, so the input shape is unknown');
  }
  // Keras' Sequential may start with an explicit InputLayer; TF.js' puts the shape on the first layer.
  const inputLayer = first.className === 'InputLayer' ? first.name : `${modelName}/input`;
  const body = raws.filter((l) => l.className !== 'InputLayer');
  const layers = body.map((l, i) => ({ className: l.className, name: l.name, config: l.config, inbound: [i === 0 ? inputLayer : (body[i - 1]?.name ?? '')] }));
  const last = layers[layers.length - 1];
  if (last === undefined) throw new Error('ONNX export: the Sequential model has no layers besides its input');
  return { modelName, inputLayer, inputShape, outputLayer: last.name, layers };
}

/** Reads a TF.js `modelTopology` into its input, output and layers in evaluation order. */
export function readLayerGraph(modelTopology: unknown): LayerGraph {
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
  const raws = rawLayers.map(toRawLayer);
  const modelName = isRecord(config) && typeof config['name'] === 'string' ? config['name'] : 'model';
  if (modelClass === 'Sequential') return sequentialGraph(raws, modelName);
  if (modelClass === 'Model' || modelClass === 'Functional') return functionalGraph(isRecord(config) ? config : {}, raws, modelName);
  throw new Error(`ONNX export: unsupported model class "${modelClass}"; supported: Sequential, Model, Functional`);
}
