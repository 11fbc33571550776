/**
 * The model manifest: everything the lab needs to know about one model in the
 * zoo (`public/models/<id>/manifest.json`), validated at the boundary.
 *
 * Paths inside a manifest are relative to the manifest's own folder, so a model
 * folder can be moved or served under any base URL.
 *
 * The schema is shared by every model: a tabular classifier now, image models
 * later. Parts that differ by modality (preprocessing) are tagged unions, so a
 * new modality adds a variant instead of loosening the existing ones.
 */
import { z } from 'zod';
import { describeZodIssues } from '../util/zod-issues';

/** The manifest format this code reads; bump on breaking changes. */
export const k_manifest_schema_version = 1;

const nonEmpty = z.string().min(1);

/** A dimension is a fixed size, or `null` for a symbolic one (the batch). */
const dimensionSchema = z.number().int().positive().nullable();

export const tensorSpecSchema = z.object({
  name: nonEmpty,
  shape: z.array(dimensionSchema).min(1),
  dtype: z.enum(['float32', 'float16', 'int32', 'int64', 'uint8', 'int8']),
});

/** Raw column → standardized number: `(value - mean) / std`. */
const standardizeStepSchema = z.object({
  type: z.literal('standardize'),
  column: nonEmpty,
  mean: z.number(),
  std: z.number().positive(),
});

/**
 * Raw column → one feature per listed category (1 when equal, else 0). A value
 * not listed gives all zeros, which is how a binary column keeps only one
 * indicator: `reference` names the category that the zeros stand for.
 */
const oneHotStepSchema = z.object({
  type: z.literal('one-hot'),
  column: nonEmpty,
  categories: z.array(nonEmpty).min(1),
  reference: nonEmpty.optional(),
});

export const tabularPreprocessingSchema = z.object({
  kind: z.literal('tabular'),
  /** In feature order: step i's outputs come right after step i-1's. */
  steps: z.array(z.discriminatedUnion('type', [standardizeStepSchema, oneHotStepSchema])).min(1),
  note: z.string().optional(),
});

export const preprocessingSchema = z.discriminatedUnion('kind', [tabularPreprocessingSchema]);

const fileRefSchema = z.object({
  path: nonEmpty,
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256').optional(),
});

/** One precision's files; at least one format must be present. */
const artifactSetSchema = z
  .object({
    onnx: fileRefSchema.extend({ sha256: fileRefSchema.shape.sha256.unwrap() }).optional(),
    /** `path` is model.json; `bytes` counts model.json plus its weight files. */
    tfjs: fileRefSchema.optional(),
  })
  .refine((set) => set.onnx !== undefined || set.tfjs !== undefined, {
    message: 'needs at least one of onnx, tfjs',
  });

const manifestObjectSchema = z.object({
  schemaVersion: z.literal(k_manifest_schema_version),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case id'),
  name: nonEmpty,
  task: z.enum(['tabular-classification', 'image-classification', 'image-to-image']),
  description: nonEmpty,
  source: z.object({ data: nonEmpty, license: nonEmpty, url: z.url().optional() }),
  license: nonEmpty,
  inputs: z.array(tensorSpecSchema).min(1),
  outputs: z.array(tensorSpecSchema).min(1),
  labels: z.array(nonEmpty).optional(),
  featureNames: z.array(nonEmpty).optional(),
  preprocessing: preprocessingSchema.optional(),
  training: z
    .object({
      recipe: nonEmpty,
      seed: z.number().int(),
      epochs: z.number().int().positive(),
      batchSize: z.number().int().positive().optional(),
      trainRows: z.number().int().positive(),
      evalRows: z.number().int().positive(),
      /** Accuracy on the evaluation split, per precision. */
      accuracy: z.record(z.string(), z.number().min(0).max(1)),
    })
    .optional(),
  /** Keyed by storage precision; fp32 is the reference every other one is compared to. */
  artifacts: z.object({
    fp32: artifactSetSchema,
    fp16: artifactSetSchema.optional(),
    int8: artifactSetSchema.optional(),
  }),
  evaluation: z
    .object({
      path: nonEmpty,
      rows: z.number().int().positive(),
      sliceColumns: z.array(nonEmpty),
    })
    .optional(),
  /**
   * Reference outputs from a native runtime. Each input row is one example,
   * flattened; each output row is that example's output, flattened.
   */
  golden: z
    .object({
      computedBy: nonEmpty,
      tolerance: z.number().positive(),
      rows: z.number().int().positive(),
      inputs: z.array(z.array(z.number())),
      outputs: z.array(z.array(z.number())),
    })
    .refine((g) => g.inputs.length === g.rows && g.outputs.length === g.rows, {
      message: 'inputs and outputs must each have `rows` rows',
    }),
});

type ManifestObject = z.infer<typeof manifestObjectSchema>;

/** Elements per example: the product of a shape's dimensions after the batch one. */
function exampleSize(spec: { shape: (number | null)[] }): number | undefined {
  let size = 1;
  for (const dim of spec.shape.slice(1)) {
    if (dim === null) return undefined;
    size *= dim;
  }
  return size;
}

/** Number of features a tabular preprocessing emits. */
export function tabularFeatureCount(preprocessing: TabularPreprocessing): number {
  return preprocessing.steps.reduce(
    (n, step) => n + (step.type === 'standardize' ? 1 : step.categories.length),
    0,
  );
}

/**
 * Checks between fields that zod's per-field rules cannot see: names and
 * golden rows must agree with the tensor shapes they describe.
 */
function checkConsistency(m: Partial<Pick<ManifestObject, 'golden'>> & Omit<ManifestObject, 'golden'>, ctx: z.RefinementCtx): void {
  const input = m.inputs[0];
  const output = m.outputs[0];
  const inputSize = input === undefined ? undefined : exampleSize(input);
  const outputSize = output === undefined ? undefined : exampleSize(output);
  const expectLength = (path: (string | number)[], actual: number, expected: number | undefined, what: string): void => {
    if (expected !== undefined && actual !== expected) {
      ctx.addIssue({ code: 'custom', path, message: `has ${actual} ${what}, the shape says ${expected}` });
    }
  };
  if (m.featureNames !== undefined) expectLength(['featureNames'], m.featureNames.length, inputSize, 'names');
  if (m.labels !== undefined) expectLength(['labels'], m.labels.length, outputSize, 'labels');
  if (m.preprocessing?.kind === 'tabular') {
    expectLength(['preprocessing', 'steps'], tabularFeatureCount(m.preprocessing), inputSize, 'features');
  }
  m.golden?.inputs.forEach((row, i) => expectLength(['golden', 'inputs', i], row.length, inputSize, 'values'));
  m.golden?.outputs.forEach((row, i) => expectLength(['golden', 'outputs', i], row.length, outputSize, 'values'));
}

export const modelManifestSchema = manifestObjectSchema.superRefine(checkConsistency);
/** The part of a manifest a build writes before the native reference adds `golden`. */
export const manifestWithoutGoldenSchema = manifestObjectSchema.omit({ golden: true }).superRefine(checkConsistency);

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ManifestWithoutGolden = z.infer<typeof manifestWithoutGoldenSchema>;
export type TensorSpec = z.infer<typeof tensorSpecSchema>;
export type TabularPreprocessing = z.infer<typeof tabularPreprocessingSchema>;
export type ArtifactSet = ModelManifest['artifacts']['fp32'];
export type Golden = ModelManifest['golden'];

/**
 * Validates a parsed manifest.
 * @throws TypeError naming every bad field (e.g. `inputs.0.shape.1: ...`).
 */
export function parseManifest(json: unknown): ModelManifest {
  const result = modelManifestSchema.safeParse(json);
  if (!result.success) {
    throw new TypeError(`Invalid model manifest:\n${describeZodIssues(result.error)}`);
  }
  return result.data;
}

/** Like {@link parseManifest}, for a manifest that does not have golden outputs yet. */
export function parseManifestWithoutGolden(json: unknown): ManifestWithoutGolden {
  const result = manifestWithoutGoldenSchema.safeParse(json);
  if (!result.success) {
    throw new TypeError(`Invalid model manifest:\n${describeZodIssues(result.error)}`);
  }
  return result.data;
}
