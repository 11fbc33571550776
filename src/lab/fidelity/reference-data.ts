import { z } from 'zod';
import { describeZodIssues } from '../util/zod-issues';

/**
 * The FP32 reference a model's fidelity is measured against, computed once by
 * native onnxruntime (tools/reference) and shipped beside the manifest as
 * `fidelity.json`: its outputs on the whole evaluation set, and its
 * attributions for a fixed, seeded attribution setup that every engine repeats.
 */
export const k_fidelity_reference_file = 'fidelity.json';

const kernelShapSchema = z.object({
  method: z.literal('kernel-shap'),
  /** Output (class) whose probability is attributed. */
  target: z.number().int().min(0),
  seed: z.number().int(),
  coalitions: z.number().int().positive(),
  groupNames: z.array(z.string()).min(1),
  groups: z.array(z.array(z.number().int().min(0)).min(1)).min(1),
  /** Evaluation row indices explained, and those used as the background sample. */
  explained: z.array(z.number().int().min(0)).min(1),
  background: z.array(z.number().int().min(0)).min(1),
  /** Reference attributions: one row of group values per explained row. */
  values: z.array(z.array(z.number())),
  exact: z.boolean(),
});

const occlusionSchema = z.object({
  method: z.literal('occlusion'),
  patch: z.number().int().positive(),
  stride: z.number().int().positive(),
  fill: z.number(),
  /** Evaluation images explained; each map is for the reference's top-1 class of that image. */
  explained: z.array(z.number().int().min(0)).min(1),
  targets: z.array(z.number().int().min(0)),
  /** Reference occlusion maps, one row-major height × width map per explained image. */
  values: z.array(z.array(z.number())),
});

export const fidelityReferenceSchema = z.object({
  schemaVersion: z.literal(1),
  modelId: z.string(),
  computedBy: z.string(),
  evaluation: z.object({ rows: z.number().int().positive(), width: z.number().int().positive(), outputs: z.string() }),
  attribution: z.discriminatedUnion('method', [kernelShapSchema, occlusionSchema]).optional(),
});

export type FidelityReference = z.infer<typeof fidelityReferenceSchema>;
export type KernelShapReference = z.infer<typeof kernelShapSchema>;
export type OcclusionReference = z.infer<typeof occlusionSchema>;

export function parseFidelityReference(json: unknown): FidelityReference {
  const result = fidelityReferenceSchema.safeParse(json);
  if (!result.success) throw new TypeError(`Invalid fidelity reference:\n${describeZodIssues(result.error)}`);
  return result.data;
}
