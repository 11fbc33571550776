/**
 * ONNX bytes → a graph the executor can run on TF.js, checked before any run:
 * every operator is looked up in the importer's table (operators.ts) and every
 * node's attributes are checked, so an unsupported model is known, with every
 * missing operator named, at import.
 *
 * Why an executor over `tf` operations rather than emitting a TF.js graph
 * model for `tf.loadGraphModel`: the graph-model path would need an ONNX →
 * TensorFlow op translation and TF.js's converter-side op mappers, whose
 * NCHW handling is per-op and incomplete, and it would still run the same
 * kernels. Calling `tf` ops directly reuses every backend's kernels (and
 * `tf.fused` convolution+bias), lets the importer choose the layout per value
 * (channels-last through chains of convolutions, see graph-runner.ts), and
 * keeps weights as tensors created once. What it gives up: TF.js's graph
 * optimisations (none of which apply to already-fused ONNX exports).
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../models/onnx-proto-import';
import { NodeAttributes } from './attributes';
import { describeMissing, type MissingOperator, OnnxImportError } from './import-errors';
import type { OpDef } from './op-types';
import { decodeTensor, ElemType, type HostTensor, onnxTypeName, tfDtypeOf, toNumber } from './onnx-tensors';
import { legacyUse } from './legacy-opsets';
import { importedOp } from './operators';

const T = ElemType;
export const k_min_opset = 1;
export const k_max_opset = 21;

export interface ImportedNode {
  opType: string;
  name: string;
  /** '' for optional inputs left out. */
  inputs: string[];
  outputs: string[];
  attrs: NodeAttributes;
  def: OpDef;
  /**
   * 'const': depends on weights only (run once per session); 'shape': on
   * weights and input shapes (run once per batch size: Shape → Gather →
   * Reshape chains fold here); 'data': on the input values (run every time).
   */
  dependsOn: 'const' | 'shape' | 'data';
  /** The opset of the node's own domain (ai.onnx or ai.onnx.ml) the model imports. */
  opset: number;
}

export interface GraphInput {
  name: string;
  elemType: number;
  /** Numbers, or the symbolic dimension's name. */
  dims: (number | string)[];
}

export interface ImportedGraph {
  opset: number;
  inputs: GraphInput[];
  outputs: string[];
  initializers: Map<string, HostTensor>;
  nodes: ImportedNode[];
  /** How the graph's precision maps onto TF.js: float16 values are kept in float32 after rounding; int8 QDQ compute is dequantized. */
  precision: { float16Storage: boolean; dequantized: boolean };
}

function constantValue(attrs: NodeAttributes, name: string): HostTensor {
  const t = attrs.tensor('value');
  if (t) return t;
  const f = attrs.has('value_float') ? [attrs.float('value_float', 0)] : attrs.floats('value_floats');
  if (f) return { dtype: 'float32', onnxType: T.FLOAT, dims: attrs.has('value_float') ? [] : [f.length], data: Float32Array.from(f) };
  const i = attrs.has('value_int') ? [attrs.int('value_int', 0)] : attrs.ints('value_ints');
  if (i) return { dtype: 'int32', onnxType: T.INT64, dims: attrs.has('value_int') ? [] : [i.length], data: Int32Array.from(i) };
  throw new OnnxImportError('attribute', `Constant "${name}" holds a sparse tensor or strings, which the importer does not take`, [
    { op: 'Constant', domain: '', opset: 0, reason: 'sparse or string value' },
  ]);
}

function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new OnnxImportError('bad-model', `not a readable ONNX model (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Parses and checks a model; throws OnnxImportError listing every operator use the importer lacks. */
export function importOnnxGraph(bytes: Uint8Array): ImportedGraph {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw new OnnxImportError('bad-model', 'the ONNX file has no graph');
  const opset = toNumber((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const usesDefaultDomain = (graph.node ?? []).some((n) => !n.domain || n.domain === 'ai.onnx');
  // A graph of other domains only (ai.onnx.ml, training) needs no default opset: its operators are judged one by one below.
  if (usesDefaultDomain && (opset < k_min_opset || opset > k_max_opset)) {
    throw new OnnxImportError('operator', `the model imports ai.onnx opset ${opset}; the importer takes opsets ${k_min_opset}–${k_max_opset}`, [
      { op: '(opset)', domain: '', opset, reason: `outside ${k_min_opset}–${k_max_opset}` },
    ]);
  }
  const initializers = new Map<string, HostTensor>();
  for (const t of graph.initializer ?? []) initializers.set(t.name ?? '', decodeTensor(t));

  const missing: MissingOperator[] = [];
  const note = (m: MissingOperator) => {
    if (!missing.some((x) => x.op === m.op && x.domain === m.domain && x.reason === m.reason)) missing.push(m);
  };
  const dependsOn = new Map<string, ImportedNode['dependsOn']>([...initializers.keys()].map((k) => [k, 'const']));
  const nodes: ImportedNode[] = [];
  let float16Storage = false;
  let dequantized = false;
  for (const [index, node] of (graph.node ?? []).entries()) {
    const opType = node.opType ?? '';
    const domain = node.domain === 'ai.onnx' ? '' : (node.domain ?? '');
    const attrs = new NodeAttributes(node.attribute ?? []);
    const name = node.name || `${opType}_${index}`;
    const outputs = node.output ?? [];
    const domainOpset = domain === '' ? opset : toNumber((model.opsetImport ?? []).find((o) => o.domain === domain)?.version ?? 0);
    if (domain === '' && opType === 'Constant') {
      try {
        const value = constantValue(attrs, name);
        initializers.set(outputs[0] ?? '', value);
        dependsOn.set(outputs[0] ?? '', 'const');
      } catch (error) {
        if (error instanceof OnnxImportError) note({ ...(error.missing[0] ?? { op: 'Constant', domain: '' }), opset });
        else throw error;
      }
      continue;
    }
    const def = importedOp(opType, domain);
    if (!def) {
      note({ op: opType, domain, opset: domainOpset });
      continue;
    }
    if (attrs.hasGraph()) {
      note({ op: opType, domain, opset: domainOpset, reason: 'subgraphs' });
      continue;
    }
    const reason =
      (domain === '' ? legacyUse(opType, attrs, domainOpset) : null) ??
      def.check?.(attrs, domainOpset, { inputs: node.input ?? [], outputs: outputs.length, constant: (n) => initializers.get(n) }) ??
      null;
    if (reason) {
      note({ op: opType, domain, opset: domainOpset, reason });
      continue;
    }
    if (opType === 'Cast' && attrs.int('to', 0) === T.FLOAT16) float16Storage = true;
    if (opType === 'DequantizeLinear') dequantized = true;
    // Tensors the operator makes from its attributes join the weights, named after the node, as inputs after its own.
    const made = (def.constants?.(attrs) ?? []).map((t, k) => {
      const constName = `${name}::constant${k}`;
      initializers.set(constName, t);
      dependsOn.set(constName, 'const');
      return constName;
    });
    const inputs = [...(node.input ?? []), ...made];
    const deps = inputs.filter((i) => i !== '').map((i) => dependsOn.get(i) ?? 'data');
    const level: ImportedNode['dependsOn'] =
      opType === 'Shape' || opType === 'Size' ? (deps[0] === 'const' ? 'const' : 'shape') : deps.includes('data') ? 'data' : deps.includes('shape') ? 'shape' : 'const';
    for (const o of outputs) dependsOn.set(o, level);
    nodes.push({ opType, name, inputs, outputs: [...outputs], attrs, def, dependsOn: level, opset: domainOpset });
  }
  if (missing.length > 0) {
    throw new OnnxImportError('operator', `TF.js (through the lab's ONNX importer) cannot run ${missing.map(describeMissing).join(', ')}`, missing);
  }
  for (const t of initializers.values()) if (t.onnxType === T.FLOAT16) float16Storage = true;

  const inputs: GraphInput[] = [];
  for (const info of graph.input ?? []) {
    const name = info.name ?? '';
    if (initializers.has(name)) continue;
    const tensorType = info.type?.tensorType;
    const elemType = tensorType?.elemType ?? 0;
    if (!tensorType || !tfDtypeOf(elemType)) {
      throw new OnnxImportError('data-type', `input "${name}" is ${tensorType ? onnxTypeName(elemType) : 'not a tensor'}, which TF.js cannot hold`, [
        { op: '(input)', domain: '', opset, reason: tensorType ? onnxTypeName(elemType) : 'non-tensor input' },
      ]);
    }
    const dims = (tensorType.shape?.dim ?? []).map((d) => (Object.prototype.hasOwnProperty.call(d, 'dimValue') ? toNumber(d.dimValue) : d.dimParam || '?'));
    inputs.push({ name, elemType, dims });
  }
  const outputs = (graph.output ?? []).map((o) => o.name ?? '');
  return { opset, inputs, outputs, initializers, nodes, precision: { float16Storage, dequantized } };
}
