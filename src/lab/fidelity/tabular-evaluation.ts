import { z } from 'zod';
import { createRng } from '../util/random';
import { describeZodIssues } from '../util/zod-issues';

/** A tabular model's evaluation split as shipped in eval.json (features already preprocessed). */
export interface TabularEvaluation {
  rows: number;
  width: number;
  /** rows × width, row-major, float32 exactly as the engines see it. */
  features: Float32Array;
  labels: Int32Array;
  slices: Record<string, string[]>;
}

const evalJsonSchema = z.object({
  features: z.array(z.array(z.number())).min(1),
  labels: z.array(z.number().int()),
  slices: z.record(z.string(), z.array(z.string())),
});

export function parseTabularEvaluation(json: unknown): TabularEvaluation {
  const result = evalJsonSchema.safeParse(json);
  if (!result.success) throw new TypeError(`Invalid evaluation data:\n${describeZodIssues(result.error)}`);
  const { features, labels, slices } = result.data;
  const width = features[0]?.length ?? 0;
  const flat = new Float32Array(features.length * width);
  features.forEach((row, r) => {
    if (row.length !== width) throw new TypeError(`Invalid evaluation data: features.${r} has ${row.length} values, expected ${width}`);
    flat.set(row, r * width);
  });
  if (labels.length !== features.length) throw new TypeError(`Invalid evaluation data: ${labels.length} labels for ${features.length} rows`);
  for (const [name, column] of Object.entries(slices)) {
    if (column.length !== features.length) throw new TypeError(`Invalid evaluation data: slice "${name}" has ${column.length} values for ${features.length} rows`);
  }
  return { rows: features.length, width, features: flat, labels: Int32Array.from(labels), slices };
}

/**
 * Seeded choice of the rows to explain and the background rows (disjoint), so
 * the native reference and every engine build exactly the same masked inputs.
 */
export function chooseAttributionRows(rows: number, explain: number, background: number, seed: number): { explained: number[]; background: number[] } {
  if (explain + background > rows) throw new RangeError(`Cannot pick ${explain} + ${background} rows out of ${rows}`);
  const rng = createRng(seed);
  const order = Array.from({ length: rows }, (_, i) => i);
  // Partial Fisher–Yates: only the first explain + background places are needed.
  for (let i = 0; i < explain + background; i += 1) {
    const j = i + Math.floor(rng() * (rows - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return { explained: order.slice(0, explain).sort((a, b) => a - b), background: order.slice(explain, explain + background).sort((a, b) => a - b) };
}

export function gatherRows(data: Float32Array, width: number, indices: readonly number[]): Float32Array {
  const out = new Float32Array(indices.length * width);
  indices.forEach((r, i) => out.set(data.subarray(r * width, (r + 1) * width), i * width));
  return out;
}
