/**
 * What a user needs from a deployment, as data: a latency objective or a
 * throughput target, a drift budget, and what an hour of each kind of
 * hardware costs. The page's form, a budget file (CI) and the results JSON
 * all carry this one shape.
 */
import { z } from 'zod';
import { HARDWARE_KINDS } from '../engines/hardware';
import { driftLimitsSchema } from '../fidelity/drift-judge';
import { describeZodIssues } from '../util/zod-issues';

export const k_objective_percentiles = Object.freeze(['p50', 'p95', 'p99'] as const);

export const objectiveSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('latency'),
      /** Which percentile of the warm latency per batch must stay under maxMs. */
      percentile: z.enum(k_objective_percentiles).default('p95'),
      maxMs: z.number().positive(),
      /** The batch size the objective holds at (a service that answers one request at a time: 1). */
      batchSize: z.number().int().positive(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('throughput'),
      /** Rows per second one device must serve, at whichever batch size measured. */
      minRowsPerSec: z.number().positive(),
    })
    .strict(),
]);

const pricesSchema = z.object(Object.fromEntries(HARDWARE_KINDS.map((k) => [k, z.number().min(0)])) as Record<(typeof HARDWARE_KINDS)[number], z.ZodNumber>).strict();

export const recommendationNeedsSchema = z
  .object({
    objective: objectiveSchema,
    /** Limits judged on every slice of each cell's fidelity pass; {} for none. */
    drift: driftLimitsSchema.default({}),
    /** Dollars per hour of a machine of each kind of hardware. */
    pricePerHour: pricesSchema,
  })
  .strict();

export type RecommendationNeeds = z.infer<typeof recommendationNeedsSchema>;
export type RecommendationNeedsInput = z.input<typeof recommendationNeedsSchema>;
export type Objective = RecommendationNeeds['objective'];

/** @throws TypeError naming every bad field. */
export function parseRecommendationNeeds(json: unknown): RecommendationNeeds {
  const result = recommendationNeedsSchema.safeParse(json);
  if (!result.success) throw new TypeError(`Invalid recommendation needs:\n${describeZodIssues(result.error)}`);
  return result.data;
}

/** A starting point for the page's form: P95 ≤ 50 ms at the plan's first batch size; in any slice at most 1% flips and 1 point of accuracy lost, attribution rank correlation at least 0.9. */
export function defaultNeeds(batchSize = 1): RecommendationNeeds {
  return parseRecommendationNeeds({
    objective: { kind: 'latency', percentile: 'p95', maxMs: 50, batchSize },
    drift: { maxFlipRate: 0.01, maxAccuracyDrop: 0.01, minAttributionRankCorrelation: 0.9 },
    pricePerHour: { cpu: 0.1, gpu: 1.0 },
  });
}
