/**
 * The ONNX graph under construction, for the TF.js → ONNX exporter: nodes,
 * initializers, unique value names, and the layout of every 4-D value.
 *
 * Layout: TF.js (Keras) image tensors are NHWC; ONNX's Conv, pooling,
 * BatchNormalization and Resize work on NCHW. The exporter keeps image values
 * in NCHW between such layers and converts (a Transpose) only where a layer
 * needs the Keras order: at Flatten, at a Dense on a 4-D value, and at the
 * graph output. `Value.shape` is always the Keras (channels-last) shape, so
 * layer converters reason in Keras terms whatever the physical layout.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './onnx-proto-import';

/** A shape while converting: `null` is a symbolic dimension (the batch). */
export type Shape = (number | null)[];

/** One weight tensor of a TF.js model, decoded to float32. */
export interface TfjsWeight {
  /** As in the weights manifest, e.g. `dense_1/kernel`. */
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

/** A value flowing between layers. */
export interface Value {
  /** The ONNX value name. */
  name: string;
  /** The Keras shape (channels last), whatever `layout` says. */
  shape: Shape;
  /** `nchw`: a 4-D value stored channels-first; `keras`: stored as `shape` says. */
  layout: 'keras' | 'nchw';
}

const k_to_nchw = [0, 3, 1, 2];
const k_to_nhwc = [0, 2, 3, 1];

const AttributeType = onnx.AttributeProto.AttributeType;

export const attr = {
  int: (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): OnnxTypes.IAttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  float: (name: string, f: number): OnnxTypes.IAttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): OnnxTypes.IAttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }),
};

/** A float32 initializer stored as little-endian raw bytes (ONNX's byte order). */
export function float32Tensor(name: string, dims: readonly number[], values: Float32Array): OnnxTypes.ITensorProto {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (values.length !== expected) {
    throw new Error(`ONNX export: weight "${name}" has ${values.length} values, its shape [${dims.join(', ')}] needs ${expected}`);
  }
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

export function valueInfo(name: string, shape: Shape, batchDimName: string): OnnxTypes.IValueInfoProto {
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

/** Collects nodes and initializers; hands out unique value names; converts layouts. */
export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly weights: Map<string, TfjsWeight>;
  private readonly usedWeights = new Set<string>();
  private readonly usedNames = new Set<string>();
  /** Value name → the same value in the other layout, so each Transpose is made once. */
  private readonly transposed = new Map<string, Value>();

  constructor(weights: readonly TfjsWeight[]) {
    this.weights = new Map(weights.map((w) => [w.name, w]));
  }

  /** `base`, or `base_1`, `base_2`… when taken. Marks the result taken. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  /** Adds a node with one output named `${prefix}/${opType}` (made unique); returns the output name. */
  addNode(opType: string, inputs: string[], prefix: string, attribute: OnnxTypes.IAttributeProto[] = []): string {
    const output = this.uniqueName(`${prefix}/${opType}`);
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute });
    return output;
  }

  /** Looks up a TF.js weight `${layerName}/${weightName}` and marks it used; does not add it. */
  takeWeight(layerName: string, weightName: string): TfjsWeight {
    const name = `${layerName}/${weightName}`;
    const weight = this.weights.get(name);
    if (weight === undefined) {
      const known = [...this.weights.keys()].join(', ');
      throw new Error(`ONNX export: layer "${layerName}" needs weight "${name}", which the model does not have (it has: ${known})`);
    }
    this.usedWeights.add(name);
    return weight;
  }

  hasWeight(layerName: string, weightName: string): boolean {
    return this.weights.has(`${layerName}/${weightName}`);
  }

  /** Adds a TF.js weight as an initializer under its own name, unchanged; returns the initializer name. */
  addWeight(layerName: string, weightName: string): { name: string; weight: TfjsWeight } {
    const weight = this.takeWeight(layerName, weightName);
    return { name: this.addInitializer(weight.name, weight.shape, weight.values), weight };
  }

  /** Adds a float32 initializer under a unique name; returns the name. */
  addInitializer(name: string, dims: readonly number[], values: Float32Array): string {
    const unique = this.uniqueName(name);
    this.initializers.push(float32Tensor(unique, dims, values));
    return unique;
  }

  unusedWeights(): string[] {
    return [...this.weights.keys()].filter((name) => !this.usedWeights.has(name));
  }

  /** The value in NCHW (a Transpose when it is a 4-D Keras value). */
  toNchw(value: Value): Value {
    if (value.layout === 'nchw' || value.shape.length !== 4) return value;
    return this.transpose(value, k_to_nchw, 'nchw');
  }

  /** The value in Keras order (a Transpose when it is stored NCHW). */
  toKeras(value: Value): Value {
    if (value.layout === 'keras') return value;
    return this.transpose(value, k_to_nhwc, 'keras');
  }

  private transpose(value: Value, perm: number[], layout: Value['layout']): Value {
    const cached = this.transposed.get(value.name);
    if (cached !== undefined) return cached;
    const prefix = value.name.replace(/\/[^/]*$/, '');
    const name = this.addNode('Transpose', [value.name], `${prefix}/to_${layout === 'nchw' ? 'NCHW' : 'NHWC'}`, [attr.ints('perm', perm)]);
    const result: Value = { name, shape: value.shape, layout };
    this.transposed.set(value.name, result);
    this.transposed.set(name, value);
    return result;
  }
}
