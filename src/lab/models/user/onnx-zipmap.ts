/**
 * ZipMap (ai.onnx.ml) turns a classifier's probability tensor [N, C] into a
 * sequence of N maps {class label → probability}: the same numbers, packaged
 * for Python callers. No in-browser engine can hand such a value back
 * (onnxruntime-web: "Reading data from non-tensor typed value is not
 * supported"; onnxruntime-node: "Non tensor type is temporarily not
 * supported"), so the lab reads the tensor ZipMap was given: the graph output
 * keeps its name and becomes that float tensor, columns in ZipMap's class
 * order. The model card says so.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { DataType, graphOf, type ModelProto } from '../onnx-model-edit';

export interface RemovedZipMap {
  /** The graph output that was a sequence of maps and is now a float tensor [N, classes]. */
  output: string;
  /** ZipMap's class labels, in column order. */
  classLabels: (number | string)[];
}

const isZipMap = (node: OnnxTypes.INodeProto): boolean => node.opType === 'ZipMap' && node.domain === 'ai.onnx.ml';

function classLabels(node: OnnxTypes.INodeProto): (number | string)[] {
  const ints = node.attribute?.find((a) => a.name === 'classlabels_int64s')?.ints;
  if (ints && ints.length > 0) return ints.map(Number);
  const strings = node.attribute?.find((a) => a.name === 'classlabels_strings')?.strings;
  return (strings ?? []).map((s) => new TextDecoder().decode(s));
}

/** The batch dimension the graph's first input declares, for the new output's shape. */
function batchDim(graph: ReturnType<typeof graphOf>): OnnxTypes.TensorShapeProto.IDimension {
  const first = graph.input[0]?.type?.tensorType?.shape?.dim?.[0];
  if (first && Object.prototype.hasOwnProperty.call(first, 'dimValue')) return { dimValue: Number(first.dimValue) };
  return { dimParam: first?.dimParam || 'N' };
}

/**
 * Removes every ZipMap whose output is a graph output, in place. A ZipMap
 * feeding other nodes is left alone (no exporter writes one; the card then
 * reports the sequence output as unreadable).
 */
export function removeZipMaps(model: ModelProto): RemovedZipMap[] {
  const graph = graphOf(model);
  const removed: RemovedZipMap[] = [];
  const readers = new Set(graph.node.flatMap((n) => n.input ?? []));
  for (const zipMap of graph.node.filter(isZipMap)) {
    const source = zipMap.input?.[0];
    const target = zipMap.output?.[0];
    const output = graph.output.find((o) => o.name === target);
    if (!source || !target || !output || readers.has(target)) continue;
    const labels = classLabels(zipMap);
    graph.node = graph.node.filter((n) => n !== zipMap);
    // The producer now writes the output's name; every other reader of the tensor follows.
    for (const node of graph.node) {
      node.output = (node.output ?? []).map((o) => (o === source ? target : o));
      node.input = (node.input ?? []).map((i) => (i === source ? target : i));
    }
    output.type = { tensorType: { elemType: DataType.FLOAT, shape: { dim: [batchDim(graph), { dimValue: labels.length }] } } };
    removed.push({ output: target, classLabels: labels });
  }
  return removed;
}
