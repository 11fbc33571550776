/**
 * LiteRT.js compiles a model for the exact shapes it states: a tensor whose
 * `shape_signature` has -1 (a dynamic batch) is refused at run time ("does
 * not match expected ranked tensor type Float32[-1, 3]"), and a fixed-shape
 * model runs only its own batch size. So a LiteRT cell compiles one copy per
 * batch size, outside every timed span, with the batch written into every
 * tensor whose signature leaves it open (the lab's exporter writes batch 1
 * with signature -1, as TFLite's converter does for a dynamic batch).
 *
 * The batch is written into the file's bytes in place: the shape and the
 * signature keep their length, so nothing else moves, and everything else in
 * a user's file (options of every kind, custom operators, metadata,
 * other subgraphs) stays as it was, byte for byte.
 */
import { readTflite, tensorShapeSites } from './tflite-read';

/** Why a model cannot be run at a batch size: its batch is fixed in the file. */
export class FixedBatchError extends Error {
  override readonly name = 'FixedBatchError';
  constructor(readonly fixedBatch: number, batch: number) {
    super(`the .tflite file fixes its batch size at ${fixedBatch} (no dynamic batch in its shape signature), so batch ${batch} cannot run`);
  }
}

/**
 * A copy of the model with batch `batch` in every dynamic batch dimension, of
 * its shape and of its shape signature (so no dimension is left dynamic); the
 * bytes themselves when the file already states that batch and nothing dynamic.
 * @throws FixedBatchError when the batch is fixed at another size; RangeError for a dynamic dimension other than the batch.
 */
export function tfliteForBatch(bytes: Uint8Array, batch: number): Uint8Array {
  const subgraph = readTflite(bytes).subgraphs[0];
  if (subgraph === undefined) throw new RangeError('the .tflite file has no subgraph');
  const dynamic = subgraph.tensors.flatMap((t, index) => (t.shapeSignature?.some((d) => d < 0) ? [index] : []));
  if (dynamic.length === 0) {
    const fixed = subgraph.tensors[subgraph.inputs[0] ?? -1]?.shape[0];
    if (fixed === undefined || fixed === batch) return bytes;
    throw new FixedBatchError(fixed, batch);
  }
  for (const index of dynamic) {
    const t = subgraph.tensors[index]!;
    const other = t.shapeSignature!.findIndex((d, i) => d < 0 && i > 0);
    if (other > 0) throw new RangeError(`tensor "${t.name}" has a dynamic dimension ${other}; only the batch (dimension 0) may be dynamic`);
  }
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const sites = tensorShapeSites(out, 0);
  const written = new Set<number>();
  for (const index of dynamic) {
    for (const site of [sites[index]?.shape, sites[index]?.signature]) {
      if (site === undefined || site.length === 0) continue;
      view.setInt32(site.start, batch, true);
      written.add(site.start);
    }
  }
  // A writer that shares one shape vector between tensors could make a fixed tensor take the batch too: refuse that file.
  const shared = subgraph.tensors.findIndex((_, i) => !dynamic.includes(i) && [sites[i]?.shape, sites[i]?.signature].some((s) => s !== undefined && s.length > 0 && written.has(s.start)));
  if (shared >= 0) throw new RangeError(`tensor "${subgraph.tensors[shared]!.name}" shares its shape with a tensor of dynamic batch; the batch cannot be written in place`);
  return out;
}
