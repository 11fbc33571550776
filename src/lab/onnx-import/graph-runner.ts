/**
 * Runs an imported ONNX graph with TF.js operations on whichever backend is
 * active.
 *
 * Layout: ONNX images are NCHW, TF.js convolutions and pools NHWC. A value
 * may be kept physically channels-last (`Value.nhwc`) while the graph still
 * sees NCHW: convolutions, pools, normalisations, element-wise operators,
 * Concat, Resize and Q/DQ take and give such values as they are; any other
 * operator gets the value converted back once (and the conversion is reused).
 * A CNN therefore transposes once into channels-last and once out of it,
 * and a model exported from a channels-last framework (input NHWC, then a
 * Transpose to NCHW) not at all: that Transpose becomes a relabelling.
 *
 * Folding: weights and whatever depends on them only are computed once per
 * session; values that depend on input shapes (Shape → Gather → Reshape) once
 * per set of input shapes (each batch size), so the symbolic batch is fixed
 * at the first run of a size and the chain folded there.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { ImportedGraph, ImportedNode } from './graph-import';
import { OnnxImportError } from './import-errors';
import type { OpCall, TfModule, Value } from './op-types';

/** Output tensors in ONNX layout; the caller disposes them. */
export type RunOutputs = Tf.Tensor[];

export class OnnxGraphRunner {
  private readonly constants = new Map<string, Value>();
  private readonly byShape = new Map<string, Map<string, Value>>();
  /** Cached derived tensors (transposed filters, converted layouts) of constant or shape-level values. */
  private readonly derivedCache = new WeakMap<Tf.Tensor, Map<string, Tf.Tensor>>();
  private readonly hostCache = new WeakMap<Tf.Tensor, number[]>();
  private readonly kept = new Set<Tf.Tensor>();
  /** Derived tensors of this run's data values (a layout conversion made once per run, not per consumer). */
  private runDerived = new WeakMap<Tf.Tensor, Map<string, Tf.Tensor>>();
  private constantsReady = false;

  constructor(
    private readonly tf: TfModule,
    readonly graph: ImportedGraph,
  ) {}

  /** Runs the graph on `feeds` (ONNX layout, by input name); returns every graph output in ONNX layout. */
  async run(feeds: Readonly<Record<string, Tf.Tensor>>): Promise<RunOutputs> {
    const tf = this.tf;
    if (!this.constantsReady) await this.prepare();
    const signature = this.graph.inputs.map((i) => feeds[i.name]?.shape.join('x') ?? '-').join('|');
    let shapeValues = this.byShape.get(signature);
    const firstOfShape = shapeValues === undefined;
    if (!shapeValues) {
      shapeValues = new Map();
      this.byShape.set(signature, shapeValues);
    }
    const values = new Map<string, Value>([...this.constants, ...shapeValues]);
    for (const input of this.graph.inputs) {
      const t = feeds[input.name];
      if (!t) throw new Error(`no value given for the model input "${input.name}"`);
      values.set(input.name, { t, nhwc: false, elem: input.elemType });
    }
    this.runDerived = new WeakMap();
    tf.engine().startScope();
    try {
      for (const node of this.graph.nodes) {
        if (node.dependsOn === 'const') continue;
        if (node.dependsOn === 'shape' && !firstOfShape) continue;
        const outs = await this.runNode(node, values, node.dependsOn === 'shape');
        node.outputs.forEach((name, i) => {
          const v = outs[i];
          if (!name || !v) return;
          values.set(name, v);
          if (node.dependsOn === 'shape') {
            this.keep(v.t);
            shapeValues.set(name, v);
          }
        });
      }
      const outputs = this.graph.outputs.map((name) => {
        const v = values.get(name);
        if (!v) throw new Error(`the graph output "${name}" was never computed`);
        const t = v.nhwc ? tf.transpose(v.t, [0, 3, 1, 2]) : tf.clone(v.t);
        return tf.keep(t);
      });
      return outputs;
    } finally {
      tf.engine().endScope();
    }
  }

  dispose(): void {
    for (const t of this.kept) t.dispose();
    this.kept.clear();
    this.constants.clear();
    this.byShape.clear();
    this.constantsReady = false;
  }

  private keep(t: Tf.Tensor): void {
    if (this.kept.has(t)) return;
    this.tf.keep(t);
    this.kept.add(t);
  }

  /** Uploads the weights and computes what depends on them only; `run` does it first if nobody did. */
  async prepare(): Promise<void> {
    if (this.constantsReady) return;
    const tf = this.tf;
    for (const [name, host] of this.graph.initializers) {
      const t = tf.tensor(host.data, host.dims, host.dtype);
      this.keep(t);
      this.constants.set(name, { t, nhwc: false, elem: host.onnxType });
      this.hostCache.set(t, host.wide ?? [...host.data]);
    }
    const values = new Map(this.constants);
    tf.engine().startScope();
    try {
      for (const node of this.graph.nodes) {
        if (node.dependsOn !== 'const') continue;
        const outs = await this.runNode(node, values, true);
        node.outputs.forEach((name, i) => {
          const v = outs[i];
          if (!name || !v) return;
          this.keep(v.t);
          values.set(name, v);
          this.constants.set(name, v);
        });
      }
    } finally {
      tf.engine().endScope();
    }
    this.constantsReady = true;
  }

  private async runNode(node: ImportedNode, values: Map<string, Value>, cached: boolean): Promise<Value[]> {
    const tf = this.tf;
    const inputs = node.inputs.map((name) => {
      if (name === '') return undefined;
      const v = values.get(name);
      if (!v) throw new Error(`${node.opType} "${node.name}": its input "${name}" has no value (the graph is out of order)`);
      return v;
    });
    const isCached = (v: Value) => cached || this.kept.has(v.t);
    const call: OpCall = {
      tf,
      opType: node.opType,
      opset: node.opset,
      attrs: node.attrs,
      outputs: node.outputs.length,
      read: async (v) => {
        const known = this.hostCache.get(v.t);
        if (known) return known;
        const t = v.nhwc ? tf.transpose(v.t, [0, 3, 1, 2]) : v.t;
        const data = [...(await t.data())].map(Number);
        if (isCached(v)) this.hostCache.set(v.t, data);
        return data;
      },
      native: (v) => {
        if (!v.nhwc) return v.t;
        return call.derived(v, 'to-nchw', () => tf.transpose(v.t, [0, 3, 1, 2]));
      },
      derived: (v, tag, make) => {
        const keep = isCached(v);
        const cache = keep ? this.derivedCache : this.runDerived;
        let perTensor = cache.get(v.t);
        if (!perTensor) {
          perTensor = new Map();
          cache.set(v.t, perTensor);
        }
        let t = perTensor.get(tag);
        if (!t) {
          t = make();
          if (keep) this.keep(t);
          perTensor.set(tag, t);
        }
        return t;
      },
    };
    const given = node.def.layoutAware ? inputs : inputs.map((v) => (v && v.nhwc ? { t: call.native(v), nhwc: false, ...(v.elem !== undefined ? { elem: v.elem } : {}) } : v));
    let outs: Value[];
    try {
      outs = await node.def.run(call, given);
    } catch (error) {
      if (error instanceof OnnxImportError) throw error;
      throw new Error(`${node.opType} "${node.name}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    // Type-preserving operators (Reshape, Gather, Slice…) keep their input's ONNX element type.
    const first = given[0];
    return outs.map((v) => (v.elem === undefined && first?.elem !== undefined && first.t.dtype === v.t.dtype ? { ...v, elem: first.elem } : v));
  }
}
