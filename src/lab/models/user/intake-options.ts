/**
 * How a user's model is taken in: which output to read, the values of
 * symbolic dimensions, where the inputs come from and how they map onto the
 * model. Plain data, validated at the boundary (the API, the UI, the CLI and a
 * shared plan all give it), so the same file with the same options gives the
 * same model, variants and reference again.
 */
import { z } from 'zod';
import { describeZodIssues } from '../../util/zod-issues';
import { UserInputError } from './user-model-error';

const name = z.string().min(1);

/** A CSV's column mapping: which columns feed the input (in order), which is the label, which are slices. */
export const csvMappingSchema = z
  .object({
    /** Feature columns in model-input order; for a model with several inputs, one list per input name. */
    features: z.union([z.array(name).min(1), z.record(z.string(), z.array(name))]),
    /** The label column: class indices, or the model's own class labels. */
    label: name.optional(),
    /** Columns kept for slicing (never fed to the model). */
    slices: z.array(name).default([]),
  })
  .strict();

/** Images in the ImageFolder convention (one sub-folder per class, sorted names give class indices), and how they become the model's input. */
export const imageOptionsSchema = z
  .object({
    /** Resize to this size; default: the model input's own height and width. */
    height: z.number().int().positive().max(4096).optional(),
    width: z.number().int().positive().max(4096).optional(),
    /** Memory order of the model's input; default: read from its shape (channels of 1 or 3 on axis 1 or 3). */
    layout: z.enum(['NCHW', 'NHWC']).optional(),
    /** Per channel, after pixel / 255: (value − mean) / std. Defaults: mean 0, std 1 (pixel / 255). */
    mean: z.array(z.number()).min(1).max(4).optional(),
    std: z.array(z.number().positive()).min(1).max(4).optional(),
  })
  .strict();

export const intakeOptionsSchema = z
  .object({
    /** The output to read; default: a classifier's probabilities, else the first float output. */
    output: name.optional(),
    /** Values of symbolic dimensions other than the batch, by name. */
    dims: z.record(z.string(), z.number().int().positive()).default({}),
    /** Seed of the random inputs (when no data is given) and of the attribution setup. */
    seed: z.number().int().default(2024),
    csv: csvMappingSchema.optional(),
    images: imageOptionsSchema.optional(),
  })
  .strict();

export type IntakeOptions = z.infer<typeof intakeOptionsSchema>;
export type IntakeOptionsInput = z.input<typeof intakeOptionsSchema>;
export type CsvMapping = z.infer<typeof csvMappingSchema>;
export type ImageOptions = z.infer<typeof imageOptionsSchema>;

/** @throws UserInputError (mapping) naming every bad field. */
export function parseIntakeOptions(json: unknown): IntakeOptions {
  const result = intakeOptionsSchema.safeParse(json ?? {});
  if (!result.success) throw new UserInputError('mapping', `Invalid model options:\n${describeZodIssues(result.error)}`);
  return result.data;
}
