import { z } from 'zod';
import { ENGINE_IDS } from '../engines/engine-descriptors';
import { PRECISIONS } from '../engines/precision';
import { driftLimitsShape } from '../fidelity/drift-judge';
import { recommendationNeedsSchema } from './recommendation-needs';
import { describeZodIssues, schemaKeys } from '../util/zod-issues';
import type { FigureBudgetKey } from './figures';
import { FIGURES } from './figures';

export const k_budget_schema_version = 1;
/** When a baseline is given and the budget names no limit, a cell may be this much slower. */
export const k_default_max_regression = 1.5;

/** One positive-number limit per figure that a budget can judge (see figures.ts). */
const figureLimits = Object.fromEntries(
  FIGURES.map((f) => [f.budget.key, f.budget.side === 'max' ? z.number().positive().describe(f.budget.describe) : z.number().nonnegative().describe(f.budget.describe)]),
) as Record<FigureBudgetKey, z.ZodNumber>;

const limitsSchema = z
  .object({
    ...figureLimits,
    /**
     * Largest allowed ratio of medians against the baseline (1.2 = 20% slower).
     * Fails only when the bootstrap interval's lower bound exceeds it, so noise alone does not fail a build.
     */
    maxRegression: z.number().min(1),
    // Fidelity thresholds, judged on every slice of a cell's fidelity pass (and on all rows) by the one drift rule.
    ...driftLimitsShape,
  })
  .partial()
  .strict();

/** "ort-wasm" or "ort-wasm:int8": names checked against the engine list and the precisions, so a typo is refused. */
function isCellKey(key: string): boolean {
  const [engine, precision, ...rest] = key.split(':');
  return rest.length === 0 && (ENGINE_IDS as readonly string[]).includes(engine ?? '') && (precision === undefined || (PRECISIONS as readonly string[]).includes(precision));
}
const k_cell_key_message = `must be an engine (${ENGINE_IDS.join(', ')}) or engine:precision (${PRECISIONS.join(', ')})`;
const cellKeySchema = z.string().refine(isCellKey, { message: k_cell_key_message });

const budgetObject = z
  .object({
    schemaVersion: z.literal(k_budget_schema_version),
    /** Limits for every cell. */
    defaults: limitsSchema.default({}),
    /** Per-cell overrides keyed by engine ("ort-wasm") or engine:precision ("ort-wasm:int8"). */
    cells: z.record(z.string(), limitsSchema).default({}),
    /** Engines (or engine:precision) that must complete: a GPU runner that lost WebGPU fails instead of skipping. */
    require: z.array(cellKeySchema).default([]),
    /** A run in which no cell completed fails unless this is set: nothing was measured, so nothing holds. */
    allowNoCompleted: z.boolean().default(false),
    /** An errored cell (wrong results, crash, hang) fails the run unless allowed here. */
    allowErrored: z.boolean().default(false),
    /** An unavailable engine is reported as skipped; set true to fail on it (e.g. a GPU runner that lost WebGPU). */
    failOnUnavailable: z.boolean().default(false),
    /**
     * What the deployment needs (objective, drift budget, price per hour of each kind of hardware): the run's
     * results carry the recommendation it gives, and with a baseline the build fails when the recommended
     * configuration differs from the baseline's (unless failWhenChanged is false).
     */
    recommendation: recommendationNeedsSchema.extend({ failWhenChanged: z.boolean().default(true) }).optional(),
    /** Bootstrap settings for baseline comparisons. */
    bootstrap: z
      .object({
        iterations: z.number().int().min(100).max(100_000).default(2000),
        confidence: z.number().gt(0).lt(1).default(0.95),
        seed: z.number().int().default(1),
      })
      // Strict like the rest: "iteration" for "iterations" is refused, not silently dropped.
      .strict()
      .prefault({}),
  })
  .strict();

export const budgetSchema = budgetObject.superRefine((budget, ctx) => {
  for (const key of Object.keys(budget.cells)) {
    if (!isCellKey(key)) ctx.addIssue({ code: 'custom', path: ['cells', key], message: k_cell_key_message });
  }
});

/** Every key a budget may hold, at any level: what a typo is matched against. */
const k_budget_keys = schemaKeys(budgetObject);

export type Budget = z.infer<typeof budgetSchema>;
export type Limits = z.infer<typeof limitsSchema>;
export type BudgetInput = z.input<typeof budgetSchema>;

/** @throws TypeError naming every bad field. */
export function parseBudget(json: unknown): Budget {
  const result = budgetSchema.safeParse(json);
  if (!result.success) throw new TypeError(`Invalid budget:\n${describeZodIssues(result.error, k_budget_keys)}`);
  return result.data;
}

/** Limits for one cell: defaults, then engine, then engine:precision overrides. */
export function limitsFor(budget: Budget, engine: string, precision: string): Limits {
  return { ...budget.defaults, ...budget.cells[engine], ...budget.cells[`${engine}:${precision}`] };
}
