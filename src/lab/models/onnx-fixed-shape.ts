/**
 * Fixes an ONNX model's symbolic batch dimension to a number.
 *
 * onnxruntime-web's webgl backend rejects inputs whose declared shape has a
 * symbolic dimension ("expected shape '[,784]' but got [1,784]"), and its
 * `freeDimensionOverrides` session option did not help (see
 * shared/ENVIRONMENT.md). A copy of the model with the batch fixed works, so
 * the lab makes one such copy per batch size it runs on webgl.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './onnx-proto-import';

type Dimension = OnnxTypes.TensorShapeProto.IDimension;

/**
 * A decoded dimension is symbolic when it carries no dim_value: a named
 * dim_param or nothing at all. Decoded protobuf messages inherit defaults
 * (dimValue 0, dimParam '') from their prototype, so only own properties tell
 * what was on the wire.
 */
function isSymbolic(dim: Dimension): boolean {
  return !Object.prototype.hasOwnProperty.call(dim, 'dimValue');
}

function dimsOf(info: OnnxTypes.IValueInfoProto): Dimension[] | undefined {
  return info.type?.tensorType?.shape?.dim ?? undefined;
}

/**
 * Returns a copy of `onnxBytes` in which every graph input and output whose
 * first dimension is symbolic has it set to `batch`. Any other dimension,
 * anywhere in the graph (inputs, outputs, value_info), that uses the same
 * dim_param name is fixed too, since one name means one size. Inputs whose
 * first dimension is already a number are left as they are.
 *
 * @throws RangeError when `batch` is not a positive integer.
 * @throws Error when the bytes are not an ONNX model with a graph.
 */
export function fixBatchDimension(onnxBytes: Uint8Array, batch: number): Uint8Array {
  if (!Number.isSafeInteger(batch) || batch < 1) {
    throw new RangeError(`fixBatchDimension: batch must be a positive integer, got ${String(batch)}`);
  }
  const model = onnx.ModelProto.decode(onnxBytes);
  const graph = model.graph;
  if (graph == null) throw new Error('fixBatchDimension: the ONNX model has no graph');

  const ends = [...(graph.input ?? []), ...(graph.output ?? [])];
  const batchNames = new Set<string>();
  const fixed = (dim: Dimension): Dimension =>
    // A fresh message: setting dimValue on the decoded one would leave its own
    // dimParam, and the oneof's last field on the wire (dim_param) would win.
    onnx.TensorShapeProto.Dimension.create({ dimValue: batch, ...(dim.denotation ? { denotation: dim.denotation } : {}) });

  for (const info of ends) {
    const dims = dimsOf(info);
    const first = dims?.[0];
    if (dims === undefined || first === undefined || !isSymbolic(first)) continue;
    if (first.dimParam) batchNames.add(first.dimParam);
    dims[0] = fixed(first);
  }
  // Same-named symbolic dims elsewhere denote the same size.
  for (const info of [...ends, ...(graph.valueInfo ?? [])]) {
    const dims = dimsOf(info);
    dims?.forEach((dim, i) => {
      if (isSymbolic(dim) && dim.dimParam && batchNames.has(dim.dimParam)) dims[i] = fixed(dim);
    });
  }
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}
