/** What one operator implementation sees and returns; the executor (graph-runner.ts) supplies it. */
import type * as Tf from '@tensorflow/tfjs';
import type { NodeAttributes } from './attributes';
import type { HostTensor } from './onnx-tensors';

export type TfModule = typeof Tf;

/**
 * A value between operators. `nhwc`: a 4-D value whose ONNX (logical) layout
 * is NCHW, kept physically channels-last because TF.js convolutions and pools
 * work there; see graph-runner.ts for why and where it converts.
 */
export interface Value {
  t: Tf.Tensor;
  nhwc: boolean;
  /** ONNX element type (TensorProto.DataType) where the TF.js dtype does not tell it (int8 vs uint8, float16). */
  elem?: number;
}

export interface OpCall {
  tf: TfModule;
  opType: string;
  /** The default-domain opset the model imports: decides which semantics an operator follows. */
  opset: number;
  attrs: NodeAttributes;
  /** How many outputs the node names (Split's count, Dropout's optional mask). */
  outputs: number;
  /** Host values of a shape-like input (shape, axes, pads, scales…): read once for inputs that do not depend on the data. */
  read(v: Value): Promise<number[]>;
  /** The tensor in ONNX's own layout (converts an `nhwc` value; the conversion is kept). */
  native(v: Value): Tf.Tensor;
  /** A tensor derived from an input (a transposed filter, a reshaped scale): made once when the input is a constant. */
  derived(v: Value, tag: string, make: () => Tf.Tensor): Tf.Tensor;
}

/** What a check can see of a node besides its attributes. */
export interface NodeShape {
  inputs: readonly string[];
  outputs: number;
  /** The value of an input that is a weight or a Constant, if it is one. */
  constant(name: string): HostTensor | undefined;
}

export interface OpDef {
  run(call: OpCall, inputs: readonly (Value | undefined)[]): Promise<Value[]> | Value[];
  /**
   * A use of the operator this implementation positively lacks (an attribute
   * value, a mode), known from the node alone; null when it can run it.
   */
  check?(attrs: NodeAttributes, opset: number, node: NodeShape): string | null;
  /** Takes `nhwc` values as they are; otherwise the executor hands it native tensors only. */
  layoutAware?: boolean;
  /**
   * Tensors the operator derives from its attributes (a tree ensemble's
   * tables, a linear model's coefficients): made at import, uploaded once with
   * the weights, and handed to `run` after the node's own inputs.
   */
  constants?(attrs: NodeAttributes): HostTensor[];
}

/** An operator working on native tensors, returning one or several tensors. */
export function tensorOp(
  fn: (call: OpCall, xs: readonly (Tf.Tensor | undefined)[], inputs: readonly (Value | undefined)[]) => Tf.Tensor | Tf.Tensor[] | Promise<Tf.Tensor | Tf.Tensor[]>,
  check?: OpDef['check'],
): OpDef {
  return {
    ...(check ? { check } : {}),
    async run(call, inputs) {
      const out = await fn(call, inputs.map((v) => v?.t), inputs);
      return (Array.isArray(out) ? out : [out]).map((t) => ({ t, nhwc: false }));
    },
  };
}

export function required<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`missing input: ${what}`);
  return x;
}
