import { z } from 'zod';
import { BENCH_RULES, validateBenchRules } from '../bench/protocol';
import type { EngineId } from '../engines/engine-descriptors';
import { ENGINE_IDS, ENGINES } from '../engines/engine-descriptors';
import { PRECISIONS, type Precision } from '../engines/precision';
import { MODEL_FORMATS, type ModelFormat } from '../models/model-formats';
import { budgetSchema } from '../results/budget';
import { intakeOptionsSchema } from '../models/user/intake-options';
import { toError } from '../util/errors';
import { describeZodIssues } from '../util/zod-issues';

export type { Precision } from '../engines/precision';

export const k_plan_schema_version = 1;

/** Model ids of models users bring start with this (the zoo never uses it). */
export const k_user_model_prefix = 'user-';

/** A worker silent for this long (no progress, no result) is declared hung. */
export const k_default_cell_timeout_ms = 60_000;
export const k_max_batch_size = 4096;
/**
 * The quick plans run one engine at a time (run-stages.ts): a first visit then
 * sees its first finished cells after fetching one runtime, not every runtime
 * the plan uses.
 */
export const k_quick_stages = 'per-engine' as const;

/** Explained rows in the quick plan's attribution check: enough to rank features, cheap on software GPUs. */
export const k_quick_explain_rows = 10;

const benchRulesSchema = z
  .object({
    warmupIterations: z.number().int().min(0),
    warmupMinMs: z.number().min(0),
    rounds: z.number().int().min(1).max(1000),
    blockMinMs: z.number().min(0),
    blockMinSamples: z.number().int().min(1),
    blockMaxSamples: z.number().int().min(1),
    blockMaxMs: z.number().positive(),
    minTimerSteps: z.number().int().min(1),
  })
  .strict();

/**
 * Faults the runner injects on purpose, so tests can prove the supervisor and
 * error paths work with real engines: corrupt model bytes, a worker that
 * crashes, one that hangs.
 */
export const FAULTS = Object.freeze(['corrupt-model', 'crash-worker', 'hang-worker'] as const);

const cellSchema = z
  .object({
    engine: z.enum(ENGINE_IDS),
    precision: z.enum(PRECISIONS).default('fp32'),
    fault: z.enum(FAULTS).optional(),
    /** Silence after which this cell's worker is declared hung; default: the plan's cellTimeoutMs. */
    timeoutMs: z.number().int().min(1000).optional(),
    /** Wasm threads for this cell (a thread sweep); default: the plan's. */
    threads: z.number().int().min(1).max(64).optional(),
    /** Which model format to load, for engines that read more than one; default: the engine's first. */
    format: z.enum(MODEL_FORMATS).optional(),
    /** Run the fidelity pass (drift against the FP32 reference, per slice) after the timings. */
    fidelity: z.boolean().default(false),
  })
  .strict();

export const fidelityOptionsSchema = z
  .object({
    /** KernelSHAP attributions with the reference's seeded setup (more forward passes). */
    attributions: z.boolean().default(true),
    /** Explain only the first N of the reference's explained rows (each costs ~1,300 forward passes). */
    explainRows: z.number().int().positive().optional(),
    /** Two slice columns to cross, e.g. ["ethnicity", "region"]. */
    intersection: z.tuple([z.string(), z.string()]).optional(),
    bootstrapIterations: z.number().int().min(0).max(10_000).default(200),
    seed: z.number().int().default(1988),
  })
  .strict();
export type FidelityOptions = z.infer<typeof fidelityOptionsSchema>;

export const planSchema = z
  .object({
    schemaVersion: z.literal(k_plan_schema_version),
    name: z.string().optional(),
    modelId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case model id'),
    cells: z.array(cellSchema).min(1),
    batchSizes: z.array(z.number().int().min(1).max(k_max_batch_size)).min(1),
    rules: z.union([z.enum(['quick', 'full']), benchRulesSchema]).default('quick'),
    /** Wasm threads; 0 means "as many as the device has cores". */
    threads: z.number().int().min(0).max(64).default(0),
    cellTimeoutMs: z.number().int().min(1000).default(k_default_cell_timeout_ms),
    /**
     * Max |Δ| allowed against the golden outputs; defaults to the manifest's
     * tolerance. A value above the manifest's is applied but labelled on every
     * cell it loosens ("custom tolerance X (manifest Y)"), and a shared link
     * carrying one does not start by itself.
     */
    tolerance: z.number().positive().optional(),
    fidelity: fidelityOptionsSchema.prefault({}),
    /**
     * Sustained mode: instead of `rules.rounds`, interleaved rounds go on for
     * this long, and each cell's latency is fitted against time (a drift verdict
     * with an interval), beside the browser's CPU pressure readings.
     */
    sustained: z.object({ durationS: z.number().min(5).max(7200) }).strict().optional(),
    /**
     * "per-engine": open, sample and close one engine's cells at a time (the
     * runtimes a stage needs are fetched when it starts, so a first visit sees
     * its first finished cells after one runtime), with one bridge cell sampled
     * in every stage's rounds; cells of two stages are compared through it
     * (run-stages.ts). Absent: one stage, every cell in every round.
     */
    stages: z.enum(['one', 'per-engine']).optional(),
    /**
     * Leak check: after its timings, each cell's worker creates, runs and
     * disposes the session this many more times and reports how much memory
     * grew from the first cycle to the last. Off in the quick plan (it costs a
     * session creation per cycle).
     */
    leakCheck: z.number().int().min(2).max(1000).optional(),
    /** Thresholds for the regression CLI; a --budget file replaces them. */
    budget: budgetSchema.optional(),
    /**
     * A model the user brought (modelId `user-<first 12 hex of its SHA-256>`):
     * a plan cannot carry the file, so it records the file's SHA-256 and the
     * options it was taken in with; a page asks for the file again and refuses another.
     */
    userModel: z
      .object({
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
        fileName: z.string().min(1),
        intake: intakeOptionsSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((plan, ctx) => {
    const user = plan.modelId.startsWith(k_user_model_prefix);
    if (user && plan.userModel === undefined) ctx.addIssue({ code: 'custom', path: ['userModel'], message: `a "${k_user_model_prefix}…" model needs userModel (the file's SHA-256)` });
    if (plan.userModel !== undefined && plan.modelId !== `${k_user_model_prefix}${plan.userModel.sha256.slice(0, 12)}`) {
      ctx.addIssue({ code: 'custom', path: ['modelId'], message: `is not "${k_user_model_prefix}" + the first 12 hex digits of userModel.sha256` });
    }
    if (plan.stages === 'per-engine' && plan.sustained) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: 'a sustained run samples every cell for its whole duration: it cannot be staged per engine' });
    }
    if (typeof plan.rules === 'object') {
      try {
        validateBenchRules(plan.rules);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['rules'], message: toError(error).message });
      }
    }
  });

export type Plan = z.infer<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type PlanCell = Plan['cells'][number];

/**
 * Validates a plan from any source (form, URL, file, CLI).
 * @throws TypeError that names every bad field, e.g. `cells.0.engine: Invalid option: ...`.
 */
export function parsePlan(json: unknown): Plan {
  const result = planSchema.safeParse(json);
  if (!result.success) throw new TypeError(`Invalid plan:\n${describeZodIssues(result.error)}`);
  return result.data;
}

export function resolveRules(plan: Plan): z.infer<typeof benchRulesSchema> {
  return typeof plan.rules === 'string' ? BENCH_RULES[plan.rules] : plan.rules;
}

/** What every result of a cell carries, however it ends: its id, engine, variant, the model format it loads, and the engine's descriptor. */
export function cellIdentity(cell: PlanCell, id: string) {
  const descriptor = ENGINES[cell.engine];
  return { cellId: id, engine: cell.engine, precision: cell.precision, format: cell.format ?? descriptor.formats[0], descriptor };
}

/** Formats the page writes from a user's model of a format (the .tflite exporter reads ONNX). */
const k_page_written: Partial<Record<ModelFormat, readonly ModelFormat[]>> = { onnx: ['tflite'] };

/**
 * The format a cell of a user's model reads: the model's own where the engine
 * reads it; else the one the page writes for that engine (LiteRT: the .tflite
 * export of an ONNX model); else the model's own, which the engine then says
 * it cannot read.
 */
export function userCellFormat(engine: EngineId, modelFormat: ModelFormat): { format: ModelFormat } {
  const reads = ENGINES[engine].formats as readonly ModelFormat[];
  if (reads.includes(modelFormat)) return { format: modelFormat };
  return { format: k_page_written[modelFormat]?.find((f) => reads.includes(f)) ?? modelFormat };
}

/** The precisions a plan's cells run. */
export function precisionsOf(plan: Plan): Precision[] {
  return [...new Set(plan.cells.map((c) => c.precision))];
}

/**
 * The plan's cells after the engine and precision checkboxes: every chosen
 * engine at every chosen precision, in the registry's order, each reading a
 * user's model in the format its engine reads; with nothing chosen the plan
 * keeps its cells (a plan always has one).
 */
export function crossCells(plan: Plan, engines: readonly EngineId[], precisions: readonly Precision[], modelFormat?: ModelFormat): PlanCell[] {
  const cells = ENGINE_IDS.filter((e) => engines.includes(e)).flatMap((engine) =>
    PRECISIONS.filter((p) => precisions.includes(p)).map((precision) => ({ engine, precision, fidelity: true, ...(modelFormat ? userCellFormat(engine, modelFormat) : {}) })),
  );
  return cells.length > 0 ? cells : plan.cells;
}

export function cellId(cell: PlanCell, index: number): string {
  return `${index}:${cell.engine}:${cell.precision}${cell.threads ? `:t${cell.threads}` : ''}${cell.format ? `:${cell.format}` : ''}`;
}

/**
 * Every engine at FP32 plus the other variants its descriptor names for the
 * quick plan (INT8 on the wasm engines), batch 1 and 16, quick rules, with a
 * fidelity pass (10 explained rows) on every cell: about a minute on a 2-core
 * laptop with software GPUs.
 */
export function defaultPlan(modelId = 'cps-wage', engines: readonly EngineId[] = ENGINE_IDS): Plan {
  return parsePlan({
    schemaVersion: k_plan_schema_version,
    name: 'quick',
    modelId,
    cells: [
      ...engines.filter((engine) => ENGINES[engine].quick.includes('fp32')).map((engine) => ({ engine, precision: 'fp32', fidelity: true })),
      // INT8 beside FP32 on the CPU engines: the quick demo's speed finding and fairness finding together.
      ...engines.flatMap((engine) => ENGINES[engine].quick.filter((p) => p !== 'fp32').map((precision) => ({ engine, precision, fidelity: true }))),
    ],
    batchSizes: [1, 16],
    rules: 'quick',
    stages: k_quick_stages,
    fidelity: { attributions: true, explainRows: k_quick_explain_rows },
  });
}

/** Plans travel in URLs (`?plan=`): base64url of the JSON. */
export function encodePlan(plan: PlanInput): string {
  const bytes = new TextEncoder().encode(JSON.stringify(plan));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodePlan(encoded: string): Plan {
  let json: unknown;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    json = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch (error) {
    throw new TypeError(`The plan in the URL is not readable (expected base64url JSON): ${toError(error).message}`, { cause: error });
  }
  return parsePlan(json);
}
