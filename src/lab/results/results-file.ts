import { z } from 'zod';
import { ENGINE_IDS } from '../engines/engine-descriptors';
import { describeZodIssues } from '../util/zod-issues';
import type { ResultsDocument } from './results';
import { k_results_schema_version } from './results';
import { assertResultsIntegrity } from './results-integrity';

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
  z.looseObject({ state: z.literal('completed'), cellId: z.string(), engine: z.enum(ENGINE_IDS), precision: z.string(), batches: z.array(batchSchema) }),
  z.looseObject({ state: z.literal('unavailable'), engine: z.enum(ENGINE_IDS), precision: z.string() }),
  z.looseObject({ state: z.literal('errored'), engine: z.enum(ENGINE_IDS), precision: z.string() }),
  z.looseObject({ state: z.literal('aborted'), engine: z.enum(ENGINE_IDS), precision: z.string() }),
]);

const resultsFileSchema = z.looseObject({
  kind: z.literal('inference-lab-results'),
  schemaVersion: z.literal(k_results_schema_version),
  cells: z.array(cellSchema),
});

/** @throws TypeError naming the bad field, or the cell whose claim does not follow from its data. */
export function parseResultsDocument(json: unknown): ResultsDocument {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== k_results_schema_version) {
    throw new TypeError(
      version > k_results_schema_version
        ? `Invalid results file: schemaVersion ${version} was written by a newer Inference Lab; this one reads schema ${k_results_schema_version}. Update the lab.`
        : `Invalid results file: schemaVersion ${version} was written by an older Inference Lab that kept no per-round samples, so its timings cannot be re-checked or compared by rounds; run the plan again.`,
    );
  }
  const result = resultsFileSchema.safeParse(json);
  if (!result.success) throw new TypeError(`Invalid results file:\n${describeZodIssues(result.error)}`);
  const doc = result.data as unknown as ResultsDocument;
  assertResultsIntegrity(doc);
  return doc;
}
