import { z } from 'zod';
import { ENGINE_IDS } from '../engines/engine-descriptors';
import { describeZodIssues } from '../util/zod-issues';
import type { ResultsDocument } from './results';
import { k_results_schema_version } from './results';

/**
 * What a results file from another run or device must hold to be compared
 * with: the fields comparisons read are checked, the rest passes through.
 */
const batchSchema = z.looseObject({
  batchSize: z.number().int().positive(),
  samplesMs: z.array(z.number().nonnegative()).min(1),
  stats: z.looseObject({ p50: z.number(), p95: z.number(), p99: z.number() }),
});

const cellSchema = z.discriminatedUnion('state', [
  z.looseObject({ state: z.literal('completed'), engine: z.enum(ENGINE_IDS), precision: z.string(), batches: z.array(batchSchema) }),
  z.looseObject({ state: z.literal('unavailable'), engine: z.enum(ENGINE_IDS), precision: z.string() }),
  z.looseObject({ state: z.literal('errored'), engine: z.enum(ENGINE_IDS), precision: z.string() }),
  z.looseObject({ state: z.literal('aborted'), engine: z.enum(ENGINE_IDS), precision: z.string() }),
]);

const resultsFileSchema = z.looseObject({
  kind: z.literal('inference-lab-results'),
  schemaVersion: z.literal(k_results_schema_version),
  cells: z.array(cellSchema),
});

/** @throws TypeError naming the bad field. */
export function parseResultsDocument(json: unknown): ResultsDocument {
  const result = resultsFileSchema.safeParse(json);
  if (!result.success) throw new TypeError(`Invalid results file:\n${describeZodIssues(result.error)}`);
  return result.data as unknown as ResultsDocument;
}
