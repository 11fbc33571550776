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
 * Supported: Sequential and functional (DAG) models with one input and one
 * output, made of the layers in `layerConverters` (onnx-layers-core.ts,
 * onnx-layers-conv.ts) and the activations in onnx-activations.ts. Anything
 * else throws an error naming the layer.
 *
 * The ONNX model takes exactly the tensor its TF.js twin takes (NHWC for
 * images) and returns exactly what it returns: a Transpose to NCHW follows the
 * input where convolutions need it, and an image output is transposed back to
 * NHWC, so engines of both families are fed identical bytes.
 */
import { GraphBuilder, type Shape, type TfjsWeight, type Value, valueInfo } from './onnx-graph';
import type { LayerConverter } from './onnx-layer-config';
import { convLayerConverters } from './onnx-layers-conv';
import { coreLayerConverters } from './onnx-layers-core';
import { onnx } from './onnx-proto-import';
import { readLayerGraph } from './tfjs-topology';

export type { TfjsWeight } from './onnx-graph';
export { readLayerGraph } from './tfjs-topology';

export const k_onnx_opset = 17;
export const k_onnx_ir_version = 8;

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

const layerConverters: Record<string, LayerConverter> = { ...coreLayerConverters, ...convLayerConverters };

/** Names the final value `outputName`: renames the node that made it when nothing else reads it, else adds an Identity. */
function nameOutput(graph: GraphBuilder, value: Value, outputName: string): void {
  const producer = graph.nodes.find((n) => n.output?.[0] === value.name);
  const readElsewhere = graph.nodes.some((n) => n.input?.includes(value.name));
  if (producer !== undefined && !readElsewhere) {
    producer.output = [outputName];
  } else {
    graph.nodes.push({ opType: 'Identity', input: [value.name], output: [outputName], name: `${outputName}/Identity` });
  }
}

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
  const topology = readLayerGraph(modelTopology);
  // The batch dimension is symbolic whatever size the TF.js model recorded.
  const inputShape: Shape = [null, ...topology.inputShape.slice(1)];
  if (inputShape.slice(1).some((d) => d === null)) {
    throw new Error(`ONNX export: only the batch dimension may be unknown; input shape is [${topology.inputShape.join(', ')}] (fix the input shape first)`);
  }

  const graph = new GraphBuilder(weights);
  graph.uniqueName(inputName);
  graph.uniqueName(outputName);
  const values = new Map<string, Value>([[topology.inputLayer, { name: inputName, shape: inputShape, layout: 'keras' }]]);
  for (const layer of topology.layers) {
    const convert = layerConverters[layer.className];
    if (convert === undefined) {
      throw new Error(
        `ONNX export: unsupported layer "${layer.name}" of class ${layer.className}; ` +
          `supported: InputLayer, ${Object.keys(layerConverters).join(', ')}`,
      );
    }
    const inputs = layer.inbound.map((name) => {
      const value = values.get(name);
      if (value === undefined) throw new Error(`ONNX export: layer "${layer.name}" takes "${name}", which has no value yet`);
      return value;
    });
    values.set(layer.name, convert({ graph, layer, inputs }));
  }
  const unused = graph.unusedWeights();
  if (unused.length > 0) throw new Error(`ONNX export: weights no layer used: ${unused.join(', ')}`);

  const last = values.get(topology.outputLayer);
  if (last === undefined) throw new Error(`ONNX export: the output layer "${topology.outputLayer}" produced no value`);
  const output = graph.toKeras(last);
  nameOutput(graph, output, outputName);

  const model = onnx.ModelProto.create({
    irVersion: k_onnx_ir_version,
    opsetImport: [{ domain: '', version: k_onnx_opset }],
    producerName: 'inference-lab onnx-export',
    producerVersion: '1',
    docString: options.docString ?? '',
    graph: {
      name: options.graphName ?? topology.modelName,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(inputName, inputShape, batchDimName)],
      output: [valueInfo(outputName, output.shape, batchDimName)],
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
