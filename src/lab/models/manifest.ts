/**
 * The model manifest: everything the lab needs to know about one model in the
 * zoo (`public/models/<id>/manifest.json`), validated at the boundary.
 *
 * Paths inside a manifest are relative to the manifest's own folder, so a model
 * folder can be moved or served under any base URL.
 *
 * The schema is shared by every model: tabular and image classifiers and an
 * image-to-image model. Parts that differ by modality (preprocessing,
 * evaluation data) are tagged unions, so a new modality adds a variant instead
 * of loosening the existing ones.
 *
 * Binary files a manifest points to are raw arrays without a header, in
 * row-major order: uint8 pixels (NHWC) and labels, little-endian float32
 * golden inputs and outputs.
 */
import { z } from 'zod';
import { describeZodIssues } from '../util/zod-issues';
import { MODEL_FORMATS } from './model-formats';

/**
 * The manifest format this code reads; bump on breaking changes.
 * 2: each variant carries its own native reference outputs (`artifacts.<p>.reference`)
 * and TF.js files have a SHA-256; the old tolerance against FP32 is gone.
 */
export const k_manifest_schema_version = 2;

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

const positiveInt = z.number().int().positive();

/** One factor for every channel, or one per channel. */
const perChannel = (value: z.ZodNumber) => z.union([value, z.array(value).min(1)]);

/**
 * uint8 image → model input: `float32(pixel × scale + offset)` for every
 * channel value (scale and offset per channel when they are lists: how a
 * mean/std normalisation is written), laid out as `layout` says. The zoo's
 * models take NHWC in both formats (the ONNX file transposes internally); a
 * model a user brings may take NCHW.
 */
export const imagePreprocessingSchema = z
  .object({
    kind: z.literal('image'),
    layout: z.enum(['NHWC', 'NCHW']),
    height: positiveInt,
    width: positiveInt,
    channels: positiveInt,
    colorSpace: z.enum(['grayscale', 'RGB']),
    scale: perChannel(z.number().positive()),
    offset: perChannel(z.number()),
    note: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    for (const key of ['scale', 'offset'] as const) {
      const v = p[key];
      if (Array.isArray(v) && v.length !== p.channels) ctx.addIssue({ code: 'custom', path: [key], message: `has ${v.length} values for ${p.channels} channels` });
    }
  });

export const preprocessingSchema = z.discriminatedUnion('kind', [tabularPreprocessingSchema, imagePreprocessingSchema]);

/**
 * Model output → uint8 image, for image-to-image models:
 * `pixel = clamp(round(value × scale + offset), 0, 255)`, NHWC.
 */
export const imagePostprocessingSchema = z.object({
  kind: z.literal('image'),
  layout: z.literal('NHWC'),
  height: positiveInt,
  width: positiveInt,
  channels: positiveInt,
  scale: z.number().positive(),
  offset: z.number(),
  note: z.string().optional(),
});

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');

const fileRefSchema = z.object({
  path: nonEmpty,
  bytes: z.number().int().positive(),
  sha256: sha256Schema.optional(),
});

/** A raw uint8 image file: `rows × height × width × channels` bytes, NHWC, no header. */
const imageFileSchema = z.object({
  path: nonEmpty,
  height: positiveInt,
  width: positiveInt,
  channels: positiveInt,
  bytes: positiveInt,
  sha256: sha256Schema,
});

/** Evaluation split of a tabular model: one JSON file with `features`, `labels` and `slices`. */
const tabularEvaluationSchema = z.object({
  format: z.literal('json'),
  path: nonEmpty,
  rows: positiveInt,
  sliceColumns: z.array(nonEmpty),
});

/** Where one evaluation image comes from. */
const imageSourceSchema = z.object({
  name: nonEmpty,
  /** Package and file it was cut from. */
  origin: nonEmpty,
  license: nonEmpty,
  /** How the shipped pixels were made from the original. */
  crop: nonEmpty,
});

/**
 * Evaluation split of an image model, as raw uint8 files (see the file header):
 * `images` are the model inputs before preprocessing; `labels` one class index
 * (into the manifest's `labels`) per image; `targets` the reference images of
 * an image-to-image model (for example the high-resolution originals).
 * `sliceColumns: ['label']` slices accuracy by class.
 */
const imageEvaluationSchema = z.object({
  format: z.literal('uint8-images'),
  rows: positiveInt,
  images: imageFileSchema,
  labels: z.object({ path: nonEmpty, bytes: positiveInt, sha256: sha256Schema }).optional(),
  targets: imageFileSchema.optional(),
  sliceColumns: z.array(nonEmpty),
  sources: z.array(imageSourceSchema).optional(),
});

export const evaluationSchema = z.discriminatedUnion('format', [tabularEvaluationSchema, imageEvaluationSchema]);

/**
 * Golden files: little-endian float32, `rows × (elements per example)` values
 * each, row-major, no header; paths relative to the manifest.
 */
const goldenFileSchema = z.object({
  inputs: nonEmpty,
  outputs: nonEmpty,
  dtype: z.literal('float32'),
});

/**
 * Reference outputs from a native runtime, either inline (each input row is one
 * example flattened, each output row that example's output flattened) or in
 * `file` (the same numbers, in binary): exactly one of the two.
 */
export const goldenSchema = z
  .object({
    computedBy: nonEmpty,
    /** Max |Δ| every engine must stay within, in the output's own units. */
    tolerance: z.number().positive(),
    /** Why this tolerance (required for anything looser than 1e-4). */
    toleranceNote: z.string().optional(),
    rows: positiveInt,
    inputs: z.array(z.array(z.number())).optional(),
    outputs: z.array(z.array(z.number())).optional(),
    file: goldenFileSchema.optional(),
  })
  .superRefine((g, ctx) => {
    const inline = g.inputs !== undefined || g.outputs !== undefined;
    if (inline === (g.file !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of inline `inputs` + `outputs`, or `file`' });
    } else if (inline && (g.inputs?.length !== g.rows || g.outputs?.length !== g.rows)) {
      ctx.addIssue({ code: 'custom', message: 'inputs and outputs must each have `rows` rows' });
    }
    if (g.tolerance > 1e-4 && !g.toleranceNote) ctx.addIssue({ code: 'custom', path: ['toleranceNote'], message: 'explain a tolerance above 1e-4' });
  });

/** A headline quality number per precision, measured by the build on the evaluation data. */
const qualitySchema = z.object({
  metric: z.enum(['accuracy', 'psnr-db']),
  /** What was compared with what. */
  description: nonEmpty,
  values: z.record(z.string(), z.number()),
  /** The same metric for a simple baseline (majority class, bilinear upscaling), for scale. */
  baseline: z.object({ name: nonEmpty, value: z.number() }).optional(),
});

/** Weights trained elsewhere: where they come from and how they were trained. */
const pretrainedSchema = z.object({
  package: nonEmpty,
  /** The npm tarball's integrity (sha512, as in package-lock.json). */
  integrity: nonEmpty,
  file: nonEmpty,
  recipe: nonEmpty,
  /** What this project changed (for example, a fixed input shape). */
  changes: nonEmpty,
});

/**
 * How far native onnxruntime found a variant from FP32
 * (tools/reference/precision-reference.ts). Drift, for information and for
 * fidelity: no cell is gated by these numbers (see `reference`).
 */
const variantMeasurementSchema = z.object({
  computedBy: nonEmpty,
  /** Max |Δ| of this variant's outputs against the FP32 golden outputs, on the golden inputs. */
  maxAbsDiff: z.number().nonnegative(),
  /**
   * FP16 compute only: the same for an emulation of FP16 intermediates (every
   * node's output rounded to float16), since onnxruntime's CPU engine computes the FP16 graph in float32.
   */
  emulatedFp16MaxAbsDiff: z.number().nonnegative().optional(),
  /** Evaluation rows compared with FP32's outputs on the same runtime. */
  evalRows: positiveInt,
  /** Share of evaluation rows whose arg-max class is FP32's (classifiers). */
  top1Agreement: z.number().min(0).max(1).optional(),
  /** PSNR of this variant's outputs against FP32's, in dB (image outputs). */
  psnrVsFp32Db: z.number().optional(),
});

/**
 * A variant's own golden outputs: what native onnxruntime computes for this
 * variant's graph on the golden inputs (`golden.inputs`), and how far an
 * in-browser engine may be from them. The tolerance covers engine-to-engine
 * rounding only; how far the variant drifts from FP32 is fidelity's business.
 * Outputs are inline rows (small models) or a little-endian float32 file,
 * `golden.rows × output size` values: exactly one of the two.
 */
export const variantReferenceSchema = z
  .object({
    computedBy: nonEmpty,
    /** What native onnxruntime ran to produce these outputs (the shipped file, or a graph derived from it, and with which optimizations). */
    graph: nonEmpty,
    /** Max |Δ| allowed against these outputs, in the output's own units. */
    tolerance: z.number().positive(),
    /** Why this tolerance: the model of how engines differ that it is derived from. */
    toleranceNote: nonEmpty,
    /** The measured difference the tolerance is derived from, where it is derived from one (tolerance = max(margin × maxAbsDiff, FP32's), two significant digits up). */
    basis: z.object({ description: nonEmpty, maxAbsDiff: z.number().nonnegative(), margin: z.number().positive() }).optional(),
    outputs: z.array(z.array(z.number())).optional(),
    file: z.object({ path: nonEmpty, bytes: positiveInt, sha256: sha256Schema }).optional(),
  })
  .refine((r) => (r.outputs === undefined) !== (r.file === undefined), { message: 'needs exactly one of inline `outputs` or `file`' });

/**
 * A format the lab could not write a variant in, known when the variant was
 * made: the exporter's typed gap (an operator), a variant deliberately not
 * made in that format (a precision), or a failure. Cells reading the format
 * are unavailable with this reason for the first two, errored for the last.
 */
export const unwrittenFormatSchema = z.object({
  kind: z.enum(['operator', 'precision', 'failed']),
  subject: nonEmpty,
  reason: nonEmpty,
  source: nonEmpty,
});
export type UnwrittenFormat = z.infer<typeof unwrittenFormatSchema>;

/** One precision's files; at least one format must be present. */
export const artifactSetSchema = z
  .object({
    onnx: fileRefSchema.extend({ sha256: fileRefSchema.shape.sha256.unwrap() }).optional(),
    /** `path` is model.json; `bytes` and `sha256` cover model.json followed by its weight files in weights-manifest order. */
    tfjs: fileRefSchema.extend({ sha256: fileRefSchema.shape.sha256.unwrap() }).optional(),
    /** A TFLite flatbuffer written by the lab's exporter (src/lab/tflite) from this variant's ONNX graph. */
    tflite: fileRefSchema.extend({ sha256: fileRefSchema.shape.sha256.unwrap() }).optional(),
    /**
     * This variant's native reference outputs, per model format the cells read
     * (fp32 has none: `golden` is its reference). A format may be named without
     * a file of its own: TF.js WebGL's FP16-compute cells load the fp16 TF.js
     * files and are checked against `fp16c.reference.tfjs`.
     */
    reference: z.object({ onnx: variantReferenceSchema.optional(), tfjs: variantReferenceSchema.optional(), tflite: variantReferenceSchema.optional() }).optional(),
    /** Formats this variant could not be written in, and why (a user's model without a .tflite export). */
    unwritten: z.object({ tflite: unwrittenFormatSchema }).partial().optional(),
    /** What the variant is, in plain words. */
    note: z.string().optional(),
    /** A deliberately damaged variant that exists to test drift detection, not to be used. */
    fixture: z.boolean().optional(),
    /** Native onnxruntime's measurements of this variant against FP32 (drift, not a gate). */
    measured: variantMeasurementSchema.optional(),
  })
  .refine((set) => set.onnx !== undefined || set.tfjs !== undefined || set.tflite !== undefined, {
    message: 'needs at least one of onnx, tfjs, tflite',
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
  postprocessing: imagePostprocessingSchema.optional(),
  pretrained: pretrainedSchema.optional(),
  quality: qualitySchema.optional(),
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
    /** FP16 storage: float16 weights, FP32 compute. */
    fp16: artifactSetSchema.optional(),
    /** FP16 compute: a full float16 graph with casts at the inputs and outputs (ONNX only). */
    fp16c: artifactSetSchema.optional(),
    int8: artifactSetSchema.optional(),
    /** 4-bit weights: a damaged fixture for drift detection. */
    int4: artifactSetSchema.optional(),
  }),
  evaluation: evaluationSchema.optional(),
  golden: goldenSchema,
  /** A model a user brought into the page (src/lab/models/user/): not part of the zoo; its reference is stated everywhere. */
  userModel: z
    .object({
      /** SHA-256 of the file(s) the user picked, in the order the lab reads them. */
      sha256: sha256Schema,
      fileName: nonEmpty,
      format: z.enum(MODEL_FORMATS),
      /** Who computed the golden outputs and every variant's reference, and what follows from it. */
      reference: z.object({ kind: z.enum(['page', 'native']), computedBy: nonEmpty, note: nonEmpty }),
      /** The rows it was checked, calibrated and evaluated on, in words. */
      data: nonEmpty,
    })
    .optional(),
});

type ManifestObject = z.infer<typeof manifestObjectSchema>;

/** Elements per example: the product of a shape's dimensions after the batch one (undefined if one is symbolic). */
export function exampleSize(spec: { shape: (number | null)[] }): number | undefined {
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
  m.golden?.inputs?.forEach((row, i) => expectLength(['golden', 'inputs', i], row.length, inputSize, 'values'));
  m.golden?.outputs?.forEach((row, i) => expectLength(['golden', 'outputs', i], row.length, outputSize, 'values'));
  for (const [precision, set] of Object.entries(m.artifacts)) {
    for (const [format, ref] of Object.entries(set?.reference ?? {})) {
      const path = ['artifacts', precision, 'reference', format];
      if (ref?.outputs !== undefined && m.golden !== undefined && ref.outputs.length !== m.golden.rows) {
        ctx.addIssue({ code: 'custom', path: [...path, 'outputs'], message: `has ${ref.outputs.length} rows, golden has ${m.golden.rows}` });
      }
      ref?.outputs?.forEach((row, i) => expectLength([...path, 'outputs', i], row.length, outputSize, 'values'));
      if (ref?.file !== undefined && m.golden !== undefined && outputSize !== undefined) expectLength([...path, 'file', 'bytes'], ref.file.bytes, m.golden.rows * outputSize * 4, 'bytes');
      if (ref !== undefined && m.golden !== undefined && ref.tolerance < m.golden.tolerance) {
        ctx.addIssue({ code: 'custom', path: [...path, 'tolerance'], message: `is below FP32's ${m.golden.tolerance}: no engine rounds closer than FP32 engines do` });
      }
    }
  }
  if (m.preprocessing?.kind === 'image' && input !== undefined) checkImageShape(['preprocessing'], m.preprocessing, input.shape, ctx, m.preprocessing.layout);
  if (m.postprocessing !== undefined && output !== undefined) checkImageShape(['postprocessing'], m.postprocessing, output.shape, ctx);
  if (m.evaluation?.format === 'uint8-images') {
    const { rows, images, labels, targets } = m.evaluation;
    expectLength(['evaluation', 'images', 'bytes'], images.bytes, rows * images.height * images.width * images.channels, 'bytes');
    if (labels !== undefined) expectLength(['evaluation', 'labels', 'bytes'], labels.bytes, rows, 'bytes');
    if (targets !== undefined) expectLength(['evaluation', 'targets', 'bytes'], targets.bytes, rows * targets.height * targets.width * targets.channels, 'bytes');
    if (m.preprocessing?.kind === 'image') checkImageShape(['evaluation', 'images'], images, [null, m.preprocessing.height, m.preprocessing.width, m.preprocessing.channels], ctx);
  }
}

/** An image spec (height, width, channels) must match a tensor shape in that layout. */
function checkImageShape(path: string[], image: { height: number; width: number; channels: number }, shape: (number | null)[], ctx: z.RefinementCtx, layout: 'NHWC' | 'NCHW' = 'NHWC'): void {
  const expected = layout === 'NHWC' ? [image.height, image.width, image.channels] : [image.channels, image.height, image.width];
  if (shape.length !== 4 || shape.slice(1).some((d, i) => d !== expected[i])) {
    ctx.addIssue({ code: 'custom', path, message: `is ${expected.join('×')}, the tensor shape is [${shape.map(String).join(', ')}]` });
  }
}

export const modelManifestSchema = manifestObjectSchema.superRefine(checkConsistency);
/** The part of a manifest a build writes before the native reference adds `golden`. */
export const manifestWithoutGoldenSchema = manifestObjectSchema.omit({ golden: true }).superRefine(checkConsistency);

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ManifestWithoutGolden = z.infer<typeof manifestWithoutGoldenSchema>;
export type TensorSpec = z.infer<typeof tensorSpecSchema>;
export type TabularPreprocessing = z.infer<typeof tabularPreprocessingSchema>;
export type ImagePreprocessing = z.infer<typeof imagePreprocessingSchema>;
export type ImagePostprocessing = z.infer<typeof imagePostprocessingSchema>;
export type Evaluation = z.infer<typeof evaluationSchema>;
export type ImageEvaluation = Extract<Evaluation, { format: 'uint8-images' }>;
export type ArtifactSet = ModelManifest['artifacts']['fp32'];
export type VariantReference = z.infer<typeof variantReferenceSchema>;
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
