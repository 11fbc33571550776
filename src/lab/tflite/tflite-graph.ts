/**
 * A TFLite model under construction: tensors, constant buffers, operator
 * codes and operators of one subgraph, and its serving signature. The
 * exporter (onnx-to-tflite.ts) and the tests build models through it.
 */
import { BuiltinOperator, builtinOperatorName, k_tflite_schema_version, type TensorType, type TfliteOperator, type TfliteOperatorCode, type TfliteQuantization, type TfliteTensor } from './tflite-format';
import type { BuiltinOptions } from './tflite-options';
import { writeTflite } from './tflite-write';

/** Affine quantization of a tensor: real = scale × (q − zeroPoint); per channel along `axis` when there are several scales. */
export interface TensorQuantization {
  scale: readonly number[];
  zeroPoint: readonly number[];
  axis?: number;
}

export interface TensorSpec {
  name: string;
  /** The shape the file states (its batch dimension is the batch the model is written for). */
  shape: readonly number[];
  /** Dimensions unknown until run time are -1 (the batch); absent: the same as `shape`. */
  signature?: readonly number[];
  type: TensorType;
  quantization?: TensorQuantization;
  /** Constant data, little-endian, in the tensor's type. */
  data?: Uint8Array;
}

export class TfliteGraph {
  private readonly tensors: TfliteTensor[] = [];
  /** Buffer 0 is the empty sentinel every tensor without data points to. */
  private readonly buffers: Uint8Array[] = [new Uint8Array(0)];
  private readonly codes: TfliteOperatorCode[] = [];
  private readonly operators: TfliteOperator[] = [];
  private readonly names = new Set<string>();

  /** Adds a tensor (a unique name is made from `spec.name`); returns its index. */
  addTensor(spec: TensorSpec): number {
    let name = spec.name;
    for (let i = 1; this.names.has(name); i += 1) name = `${spec.name}_${i}`;
    this.names.add(name);
    let buffer = 0;
    if (spec.data !== undefined) {
      buffer = this.buffers.length;
      this.buffers.push(spec.data);
    }
    const tensor: TfliteTensor = { name, type: spec.type, shape: [...spec.shape], buffer, hasRank: true, isVariable: false };
    const quantization = quantizationOf(spec.quantization);
    if (quantization) tensor.quantization = quantization;
    if (spec.signature !== undefined && spec.signature.some((d, i) => d !== spec.shape[i])) tensor.shapeSignature = [...spec.signature];
    this.tensors.push(tensor);
    return this.tensors.length - 1;
  }

  tensor(index: number): TfliteTensor {
    const t = this.tensors[index];
    if (t === undefined) throw new RangeError(`No tensor ${index}`);
    return t;
  }

  /** Gives a tensor its type and quantization (INT8 activations get theirs once every range is known). */
  setType(index: number, type: TensorType, quantization?: TensorQuantization): void {
    const t = this.tensor(index);
    t.type = type;
    const q = quantizationOf(quantization);
    if (q) t.quantization = q;
    else delete t.quantization;
  }

  /** Fills a constant created without data (INT8 weights are written once their input's scale is known). */
  setData(index: number, type: TensorType, data: Uint8Array, quantization?: TensorQuantization): void {
    const t = this.tensor(index);
    if (t.buffer !== 0) throw new RangeError(`tensor "${t.name}" already has data`);
    t.buffer = this.buffers.length;
    this.buffers.push(data);
    this.setType(index, type, quantization);
  }

  /** Adds an operator; `version` is the operator version its types and options need (TFLite's op_version rules). */
  addOperator(op: BuiltinOperator, inputs: readonly number[], outputs: readonly number[], options?: BuiltinOptions, version = 1, first = false): void {
    const operator: TfliteOperator = { opcodeIndex: this.codeIndex(op, version), inputs: [...inputs], outputs: [...outputs], ...(options === undefined ? {} : { options }) };
    if (first) this.operators.unshift(operator);
    else this.operators.push(operator);
  }

  private codeIndex(op: BuiltinOperator, version: number): number {
    const index = this.codes.findIndex((c) => c.builtinCode === op && c.version === version);
    if (index >= 0) return index;
    this.codes.push({ builtinCode: op, version });
    return this.codes.length - 1;
  }

  /** Operators in execution order: builtin code, input and output tensor indices. */
  operatorList(): { op: BuiltinOperator; inputs: number[]; outputs: number[] }[] {
    return this.operators.map((o) => ({ op: this.codes[o.opcodeIndex]?.builtinCode ?? BuiltinOperator.CUSTOM, inputs: o.inputs, outputs: o.outputs }));
  }

  /** The builtin operators written, by name, in first-use order. */
  operatorNames(): string[] {
    return [...new Set(this.operatorList().map((o) => builtinOperatorName(o.op)))];
  }

  setOperatorVersion(position: number, version: number): void {
    const operator = this.operators[position];
    const code = operator === undefined ? undefined : this.codes[operator.opcodeIndex];
    if (operator === undefined || code === undefined || code.version === version) return;
    operator.opcodeIndex = this.codeIndex(code.builtinCode, version);
  }

  /** The finished model: one subgraph, one signature ("serving_default") naming the inputs and outputs. */
  finish(inputs: readonly { name: string; tensor: number }[], outputs: readonly { name: string; tensor: number }[], description: string): Uint8Array {
    return writeTflite({
      version: k_tflite_schema_version,
      description,
      operatorCodes: this.codes,
      subgraphs: [{ name: 'main', tensors: this.tensors, inputs: inputs.map((i) => i.tensor), outputs: outputs.map((o) => o.tensor), operators: this.operators }],
      buffers: this.buffers,
      signatures: [
        {
          key: 'serving_default',
          subgraphIndex: 0,
          inputs: inputs.map((i) => ({ name: i.name, tensorIndex: i.tensor })),
          outputs: outputs.map((o) => ({ name: o.name, tensorIndex: o.tensor })),
        },
      ],
    });
  }
}

function quantizationOf(q: TensorQuantization | undefined): TfliteQuantization | undefined {
  if (q === undefined) return undefined;
  if (q.scale.length !== q.zeroPoint.length) throw new RangeError(`quantization has ${q.scale.length} scales and ${q.zeroPoint.length} zero points`);
  return { scale: [...q.scale], zeroPoint: [...q.zeroPoint], quantizedDimension: q.axis ?? 0 };
}

/** Little-endian bytes of float32 values. */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i += 1) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

/** Little-endian bytes of int32 values. */
export function int32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i += 1) view.setInt32(i * 4, values[i]!, true);
  return out;
}

/** Little-endian bytes of float16 bit patterns. */
export function uint16Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i += 1) view.setUint16(i * 2, values[i]!, true);
  return out;
}

/** Bytes of int8 values. */
export function int8Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Int8Array.from(values).buffer);
}
