import { z } from 'zod';
import { ENGINE_IDS } from '../engines/engine-descriptors';
import { planSchema } from '../runner/plan';
import { describeZodIssues } from '../util/zod-issues';
import type { ResultsDocument } from './results';
import { k_results_schema_version } from './results';
import { assertResultsIntegrity } from './results-integrity';
import { k_readable_schema_versions, migrateResults } from './results-migrate';
import { k_label_pattern } from './run-origin';

/**
 * What a results file from another run or device must hold to be compared
 * with: every field the checks, JUnit and the HTML report read is checked (a
 * missing one is refused by name, never a crash), the rest passes through.
 */
const batchSchema = z.looseObject({
  batchSize: z.number().int().positive(),
  samplesMs: z.array(z.number().nonnegative()).min(1),
  stats: z.looseObject({ p50: z.number(), p95: z.number(), p99: z.number() }),
  throughputPerSec: z.number(),
});

/** What every cell's row in the table, JUnit and the report reads, whatever its state. */
const cellBase = {
  cellId: z.string(),
  engine: z.enum(ENGINE_IDS),
  precision: z.string(),
  descriptor: z.looseObject({ label: z.string(), bundle: z.string() }),
  phases: z.looseObject({ sessionCreateMs: z.number().optional(), firstRunMs: z.number().optional() }),
  wallMs: z.number().nonnegative(),
  runtime: z.looseObject({ bundle: z.string(), wasmFile: z.string().nullable().optional(), threads: z.number() }).optional(),
};

const cellSchema = z.discriminatedUnion('state', [
  z.looseObject({ ...cellBase, state: z.literal('completed'), batches: z.array(batchSchema) }),
  z.looseObject({ ...cellBase, state: z.literal('unavailable'), reason: z.string() }),
  z.looseObject({ ...cellBase, state: z.literal('errored'), error: z.looseObject({ kind: z.string(), message: z.string() }) }),
  z.looseObject({ ...cellBase, state: z.literal('aborted'), reason: z.string() }),
]);

/** A capability line of the device report: available with its detail, or a reason. */
const capability = <T extends z.ZodType>(detail: T) =>
  z.discriminatedUnion('status', [z.looseObject({ status: z.literal('available'), detail }), z.looseObject({ status: z.literal('unavailable'), reason: z.string() })]);

const deviceSchema = z.looseObject({
  browser: z.looseObject({ name: z.string(), version: z.string(), platform: z.string() }),
  engines: z.record(z.string(), z.string()),
  hardwareConcurrency: z.number(),
  crossOriginIsolated: z.boolean(),
  timer: z.looseObject({ stepMs: z.number() }),
  wasmSimd: capability(z.unknown()),
  wasmThreads: capability(z.unknown()),
  wasmRelaxedSimd: capability(z.unknown()).optional(),
  jspi: capability(z.unknown()).optional(),
  webgl: capability(z.looseObject({ renderer: z.string(), software: z.boolean().nullable().optional() })),
  webgpu: capability(z.looseObject({ vendor: z.string(), architecture: z.string(), isFallbackAdapter: z.boolean().optional(), features: z.array(z.string()) })),
  webnn: capability(z.unknown()),
});

const resultsFileSchema = z.looseObject({
  kind: z.literal('inference-lab-results'),
  schemaVersion: z.literal(k_results_schema_version),
  createdAt: z.string(),
  status: z.enum(['complete', 'cancelled']),
  // The plan is re-validated as a plan: its budget judges the file when no --budget is given.
  plan: planSchema,
  model: z.looseObject({ id: z.string(), name: z.string(), goldenComputedBy: z.string(), tolerance: z.number() }),
  device: deviceSchema,
  cells: z.array(cellSchema),
  wallMs: z.number().nonnegative(),
  // The browser/device dimension merges join along; optional (a page's own download has none).
  origin: z
    .looseObject({
      label: z.string().regex(k_label_pattern, 'a label is letters, digits, ".", "-" or "_" (it names files)'),
      browser: z.looseObject({ family: z.string(), name: z.string(), version: z.string(), driver: z.string() }),
      network: z.string(),
      notes: z.array(z.string()),
      shard: z.looseObject({ index: z.number().int().positive(), count: z.number().int().positive(), cells: z.array(z.number().int().nonnegative()) }).optional(),
    })
    .optional(),
});

/** @throws TypeError naming the bad field, or the cell whose claim does not follow from its data. */
export function parseResultsDocument(json: unknown): ResultsDocument {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && !k_readable_schema_versions.includes(version)) {
    throw new TypeError(
      version > k_results_schema_version
        ? `Invalid results file: schemaVersion ${version} was written by a newer Inference Lab; this one reads schema ${k_results_schema_version} (and migrates ${k_readable_schema_versions.filter((v) => v !== k_results_schema_version).join(', ')}). Update the lab.`
        : `Invalid results file: schemaVersion ${version} is not one this lab reads (${k_readable_schema_versions.join(', ')}).`,
    );
  }
  const result = resultsFileSchema.safeParse(migrateResults(json));
  if (!result.success) throw new TypeError(`Invalid results file:\n${describeZodIssues(result.error)}`);
  const doc = result.data as unknown as ResultsDocument;
  assertResultsIntegrity(doc);
  return doc;
}
