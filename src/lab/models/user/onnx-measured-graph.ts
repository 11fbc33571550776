/**
 * The graph the lab measures for an ONNX model a user brought. Every engine
 * takes one float32 input [batch, …] and gives one float32 output [batch, …]
 * (the engine contract), so the lab adapts the edges of the graph, and only
 * the edges, listing each change on the model card:
 *
 * - ZipMap removed (onnx-zipmap.ts): engines cannot return its maps;
 * - the output it reads is chosen (probabilities before labels), the others
 *   and the nodes only they need are removed, so what is timed is what is read;
 * - a non-float32 output gets a Cast to float32;
 * - symbolic dimensions other than the batch take the values the user set;
 * - inputs that are not float32, or several inputs, are fed from one packed
 *   float32 row: Slice → Reshape (→ Cast) in front of each original input, in
 *   graph order (no arithmetic; integer inputs must hold whole numbers).
 *
 * A file that needs none of this runs byte for byte as it came.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { castAttribute, DataType, encodeModel, graphOf, type ModelProto, rawTensor } from '../onnx-model-edit';
import { onnx } from '../onnx-proto-import';
import { dimsOf, graphInputs, symbolicDims, typeOf } from './onnx-card';
import { onnxTypeName } from './onnx-inspect';
import { removeZipMaps } from './onnx-zipmap';
import { UserInputError } from './user-model-error';

/** The input the lab feeds when it packs several inputs (or casts one). */
export const k_packed_input = 'lab_packed_input';

export interface MeasuredGraph {
  /** What the engines run (the FP32 model every variant is made from). */
  bytes: Uint8Array;
  /** The input the engines feed and one example's dimensions after the batch. */
  input: { name: string; exampleDims: number[] };
  /** The original inputs a packed row is cut into, in order, with their example sizes (one entry when nothing was packed). */
  feeds: { name: string; type: string; exampleDims: number[]; values: number }[];
  /** The output the engines read, its declared dimensions after the batch (null: not declared; the reference run measures them). */
  output: { name: string; exampleDims: (number | null)[] | null };
  /** Class labels in output-column order, when the classifier says (ai.onnx.ml classlabels, ZipMap). */
  classLabels?: (number | string)[];
  /** The first input's batch axis is a fixed size (often 1): only that batch size can run. */
  fixedBatch?: number;
  changes: string[];
}

export interface MeasuredGraphOptions {
  /** Which output to read; default: the float probabilities of a classifier, else the first float output. */
  output?: string;
  /** Values of symbolic dimensions other than the batch, by name. */
  dims?: Readonly<Record<string, number>>;
}

const FLOAT: number = DataType.FLOAT;
const k_castable = new Set<number>([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.INT64, DataType.INT32, DataType.INT16, DataType.INT8, DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.BOOL]);

function int64Tensor(name: string, values: readonly number[]): OnnxTypes.ITensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return rawTensor(name, [values.length], DataType.INT64, raw);
}

function classLabelsOf(model: ModelProto): (number | string)[] | undefined {
  for (const node of model.graph?.node ?? []) {
    if (node.domain !== 'ai.onnx.ml') continue;
    for (const key of ['classlabels_int64s', 'classlabels_ints']) {
      const ints = node.attribute?.find((a) => a.name === key)?.ints;
      if (ints && ints.length > 0) return ints.map(Number);
    }
    const strings = node.attribute?.find((a) => a.name === 'classlabels_strings')?.strings;
    if (strings && strings.length > 0) return strings.map((s) => new TextDecoder().decode(s));
  }
  return undefined;
}

function chooseOutput(outputs: readonly OnnxTypes.IValueInfoProto[], wanted: string | undefined, zipMapped: readonly string[]): OnnxTypes.IValueInfoProto {
  const tensors = outputs.filter((o) => o.type?.tensorType);
  if (wanted !== undefined) {
    const found = outputs.find((o) => o.name === wanted);
    if (!found) throw new UserInputError('unsupported', `The model has no output "${wanted}" (it has ${outputs.map((o) => `"${o.name ?? ''}"`).join(', ')})`);
    if (!found.type?.tensorType) throw new UserInputError('unsupported', `Output "${wanted}" is a ${typeOf(found.type)}, not a tensor: no engine can hand it back`);
    return found;
  }
  const floats = tensors.filter((o) => [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16].includes(o.type?.tensorType?.elemType ?? 0));
  const pick = floats.find((o) => zipMapped.includes(o.name ?? '')) ?? floats.find((o) => /prob/i.test(o.name ?? '')) ?? floats[0] ?? tensors[0];
  if (!pick) {
    throw new UserInputError('unsupported', `No output of this model is a tensor the engines can hand back: ${outputs.map((o) => `"${o.name ?? ''}" is ${typeOf(o.type)}`).join(', ')}`);
  }
  return pick;
}

/** Drops nodes and initializers no kept output needs (skipped for graphs with subgraphs, whose outer reads are implicit). */
function prune(graph: ReturnType<typeof graphOf>): number {
  if (graph.node.some((n) => (n.attribute ?? []).some((a) => a.g || (a.graphs ?? []).length > 0))) return 0;
  const needed = new Set(graph.output.map((o) => o.name ?? ''));
  const kept: OnnxTypes.INodeProto[] = [];
  for (const node of [...graph.node].reverse()) {
    if (!(node.output ?? []).some((o) => needed.has(o))) continue;
    kept.push(node);
    for (const i of node.input ?? []) needed.add(i);
  }
  const dropped = graph.node.length - kept.length;
  graph.node = kept.reverse();
  graph.initializer = graph.initializer.filter((t) => needed.has(t.name ?? ''));
  return dropped;
}

/** Sets named symbolic dimensions to their values wherever they appear (inputs, outputs, value_info). */
function fixNamedDims(graph: ReturnType<typeof graphOf>, values: ReadonlyMap<string, number>): void {
  for (const info of [...graph.input, ...graph.output, ...(graph.valueInfo ?? [])]) {
    const dims = info.type?.tensorType?.shape?.dim;
    dims?.forEach((dim, i) => {
      const value = dim.dimParam ? values.get(dim.dimParam) : undefined;
      if (value !== undefined) dims[i] = onnx.TensorShapeProto.Dimension.create({ dimValue: value });
    });
  }
}

export function measuredGraph(model: ModelProto, original: Uint8Array, options: MeasuredGraphOptions = {}): MeasuredGraph {
  const graph = graphOf(model);
  const changes: string[] = [];
  const zipMaps = removeZipMaps(model);
  for (const z of zipMaps) {
    changes.push(`ZipMap removed: output "${z.output}" is read as the probability tensor [N, ${z.classLabels.length}] ZipMap would have turned into one map per row (columns in class order ${z.classLabels.join(', ')}); no engine can hand back a sequence of maps`);
  }

  const output = chooseOutput(graph.output, options.output, zipMaps.map((z) => z.output));
  const outputName = output.name ?? '';
  const others = graph.output.filter((o) => o !== output);
  if (others.length > 0) {
    graph.output = [output];
    const dropped = prune(graph);
    changes.push(`Outputs the lab does not read removed: ${others.map((o) => `"${o.name ?? ''}" (${typeOf(o.type)})`).join(', ')}${dropped > 0 ? `, and the ${dropped} node(s) only they needed` : ''}; the timed graph computes "${outputName}" only`);
  }
  const outType = output.type?.tensorType?.elemType ?? FLOAT;
  if (outType !== FLOAT) {
    if (!k_castable.has(outType)) throw new UserInputError('unsupported', `Output "${outputName}" is ${onnxTypeName(outType)}: the lab reads numbers only`);
    const raw = `${outputName}/lab_uncast`;
    for (const node of graph.node) node.output = (node.output ?? []).map((o) => (o === outputName ? raw : o));
    graph.node.push({ opType: 'Cast', input: [raw], output: [outputName], name: `${outputName}/lab_cast`, attribute: [castAttribute(FLOAT)] });
    if (output.type?.tensorType) output.type.tensorType.elemType = FLOAT;
    changes.push(`Output "${outputName}" is ${onnxTypeName(outType)}: a Cast to float32 added after it`);
  }

  // Symbolic dimensions other than the batch need the user's values.
  const values = new Map(Object.entries(options.dims ?? {}));
  const open = symbolicDims(model, options.dims).filter((d) => d.role === 'needs-value');
  const unset = open.filter((d) => !values.has(d.name));
  if (unset.length > 0) {
    throw new UserInputError('unsupported', `Set a value for ${unset.map((d) => `dimension "${d.name}" (${d.where.join(', ')})`).join('; ')}: the lab needs fixed example shapes, only the batch may vary`);
  }
  for (const [name, value] of values) {
    if (!Number.isSafeInteger(value) || value < 1 || value > 1 << 24) throw new UserInputError('unsupported', `Dimension "${name}" must be a whole number from 1 to ${1 << 24}, got ${value}`);
  }
  if (open.length > 0) {
    fixNamedDims(graph, values);
    changes.push(`Symbolic dimensions set: ${open.map((d) => `${d.name} = ${values.get(d.name) ?? '?'}`).join(', ')}`);
  }

  const inputs = graphInputs(model);
  if (inputs.length === 0) throw new UserInputError('unsupported', 'The model has no inputs to feed');
  let fixedBatch: number | undefined;
  const feeds = inputs.map((info) => {
    const name = info.name ?? '';
    const dims = dimsOf(info);
    const type = info.type?.tensorType?.elemType ?? undefined;
    if (!info.type?.tensorType || type === undefined) throw new UserInputError('unsupported', `Input "${name}" is a ${typeOf(info.type)}: the lab feeds tensors only`);
    if (!k_castable.has(type)) throw new UserInputError('unsupported', `Input "${name}" is ${onnxTypeName(type)}: the lab feeds numbers only`);
    if (!dims || dims.length === 0) throw new UserInputError('unsupported', `Input "${name}" declares no batch axis (shape ${dims ? '[]' : 'unknown'}): the lab feeds [batch, …]`);
    const [batch, ...rest] = dims;
    if (typeof batch === 'number') fixedBatch ??= batch;
    const exampleDims = rest.map((d) => (typeof d === 'number' ? d : (values.get(d) ?? 0)));
    if (exampleDims.some((d) => d < 1)) throw new UserInputError('unsupported', `Input "${name}" has shape [${dims.join(', ')}]: every axis after the batch needs a size`);
    const count = exampleDims.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(count) || count > 1 << 28) throw new UserInputError('too-large', `Input "${name}" has ${exampleDims.join('×')} values per example: more than the lab can feed (${1 << 28})`);
    return { name, type: onnxTypeName(type), elemType: type, exampleDims, values: count };
  });

  let input: MeasuredGraph['input'];
  const single = feeds.length === 1 ? feeds[0] : undefined;
  if (single && single.elemType === FLOAT) {
    input = { name: single.name, exampleDims: single.exampleDims };
  } else {
    input = packInputs(model, feeds);
    changes.push(
      feeds.length > 1
        ? `The ${feeds.length} inputs are fed as one packed float32 row "${k_packed_input}" [N, ${input.exampleDims[0] ?? 0}], cut in graph order by Slice → Reshape${feeds.some((f) => f.elemType !== FLOAT) ? ' → Cast' : ''}: ${feeds.map((f) => `"${f.name}" (${f.values} ${f.type})`).join(', ')}`
        : `Input "${single?.name ?? ''}" is ${single?.type ?? ''}: fed as float32 and cast (the values must be whole numbers)`,
    );
  }
  if (fixedBatch !== undefined) changes.push(`The batch axis is fixed at ${fixedBatch} in the file: only batch size ${fixedBatch} can run`);

  const labels = classLabelsOf(model) ?? zipMaps[0]?.classLabels;
  const outDims = dimsOf(output);
  return {
    bytes: changes.length === 0 ? original : encodeModel(model),
    input,
    feeds: feeds.map(({ name, type, exampleDims, values: n }) => ({ name, type, exampleDims, values: n })),
    output: { name: outputName, exampleDims: outDims === null ? null : outDims.slice(1).map((d) => (typeof d === 'number' ? d : (values.get(d) ?? null))) },
    ...(labels ? { classLabels: labels } : {}),
    ...(fixedBatch !== undefined ? { fixedBatch } : {}),
    changes,
  };
}

/** Replaces the graph's inputs by one packed float32 row, cut back into each original input. */
function packInputs(model: ModelProto, feeds: readonly { name: string; elemType: number; exampleDims: number[]; values: number }[]): MeasuredGraph['input'] {
  const graph = graphOf(model);
  const opset = Number((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const total = feeds.reduce((n, f) => n + f.values, 0);
  const nodes: OnnxTypes.INodeProto[] = [];
  let offset = 0;
  const single = feeds.length === 1;
  for (const feed of feeds) {
    const prefix = `${feed.name}/lab_unpack`;
    let value = k_packed_input;
    if (!single) {
      const sliced = `${prefix}/slice`;
      if (opset >= 10) {
        graph.initializer.push(int64Tensor(`${prefix}/starts`, [offset]), int64Tensor(`${prefix}/ends`, [offset + feed.values]), int64Tensor(`${prefix}/axes`, [1]));
        nodes.push({ opType: 'Slice', input: [value, `${prefix}/starts`, `${prefix}/ends`, `${prefix}/axes`], output: [sliced], name: sliced });
      } else {
        const ints = (name: string, v: number[]) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
        nodes.push({ opType: 'Slice', input: [value], output: [sliced], name: sliced, attribute: [ints('starts', [offset]), ints('ends', [offset + feed.values]), ints('axes', [1])] });
      }
      value = sliced;
    }
    if (feed.exampleDims.length !== 1 || !single) {
      const shaped = `${prefix}/reshape`;
      graph.initializer.push(int64Tensor(`${prefix}/shape`, [-1, ...feed.exampleDims]));
      nodes.push({ opType: 'Reshape', input: [value, `${prefix}/shape`], output: [shaped], name: shaped });
      value = shaped;
    }
    if (feed.elemType !== FLOAT) {
      const cast = `${prefix}/cast`;
      nodes.push({ opType: 'Cast', input: [value], output: [cast], name: cast, attribute: [castAttribute(feed.elemType)] });
    }
    // The original input's name is now produced by the last adapter node.
    const last = nodes[nodes.length - 1];
    if (last) last.output = [feed.name];
    offset += feed.values;
  }
  const batch = graphInputs(model)[0]?.type?.tensorType?.shape?.dim?.[0];
  const batchDim = batch && Object.prototype.hasOwnProperty.call(batch, 'dimValue') ? { dimValue: Number(batch.dimValue) } : { dimParam: batch?.dimParam || 'N' };
  const initializers = new Set(graph.initializer.map((t) => t.name ?? ''));
  graph.input = [
    { name: k_packed_input, type: { tensorType: { elemType: FLOAT, shape: { dim: [batchDim, { dimValue: total }] } } } },
    // IR < 4 files list initializers as inputs too: they stay.
    ...graph.input.filter((i) => initializers.has(i.name ?? '')),
  ];
  graph.node = [...nodes, ...graph.node];
  return { name: k_packed_input, exampleDims: [total] };
}
