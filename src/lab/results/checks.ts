import type { DriftMetric } from '../fidelity/drift-judge';
import { judgeDrift } from '../fidelity/drift-judge';
import { toleranceLabel } from '../runner/tolerance';
import type { Budget } from './budget';
import type { FigureId } from './figures';
import { FIGURES, limitMessage } from './figures';
import { k_default_max_regression, limitsFor } from './budget';
import type { CellResult, ResultsDocument } from './results';
import { recommend, sameRecommendation } from './recommendation';
import { timeRatio } from './time-ratio';

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One verdict: a cell's state, or one threshold on one cell and batch size. */
export interface Check {
  /** Stable name, e.g. "0:ort-wasm:fp32 b1 p95". */
  name: string;
  cellId: string;
  engine: string;
  precision: string;
  batchSize?: number;
  metric: 'state' | 'completed-any' | 'required' | FigureId | 'regression' | DriftMetric | 'recommendation';
  status: CheckStatus;
  limit?: number;
  measured?: number;
  interval?: { low: number; high: number };
  /** The data slice a fidelity check judged ("all", "ethnicity=afam", ...). */
  slice?: string;
  message: string;
}

const fmt = (x: number) => (Math.abs(x) >= 0.01 && Math.abs(x) < 1e4 ? x.toPrecision(3) : x.toExponential(2));

function cellName(cell: CellResult): string {
  return cell.cellId;
}

function stateCheck(cell: CellResult, budget: Budget): Check {
  const base = { name: `${cellName(cell)} state`, cellId: cell.cellId, engine: cell.engine, precision: cell.precision, metric: 'state' as const };
  switch (cell.state) {
    case 'completed': {
      const label = toleranceLabel(cell.tolerance);
      return label
        ? { ...base, status: 'pass', message: `completed with a ${label}: outputs agree only within that looser tolerance` }
        : { ...base, status: 'pass', message: 'completed: outputs agree with the golden outputs' };
    }
    case 'unavailable':
      return { ...base, status: budget.failOnUnavailable ? 'fail' : 'skip', message: `unavailable: ${cell.reason}` };
    case 'errored':
      return { ...base, status: budget.allowErrored ? 'skip' : 'fail', message: `errored (${cell.error.kind}): ${cell.error.message}` };
    case 'aborted':
      return { ...base, status: 'fail', message: `aborted: ${cell.reason}` };
  }
}

/** Matches a cell of this run with the same engine, precision (and position among equals) in the baseline. */
function baselineCell(baseline: ResultsDocument, cell: CellResult, current: ResultsDocument): CellResult | undefined {
  const same = (c: CellResult) => c.engine === cell.engine && c.precision === cell.precision;
  const nth = current.cells.filter(same).indexOf(cell);
  return baseline.cells.filter(same)[nth];
}

/**
 * Judges a results document against a budget (and optionally a baseline).
 * Pure: the CLI writes these as JUnit test cases and in the report.
 */
export function evaluateChecks(results: ResultsDocument, budget: Budget, baseline?: ResultsDocument): Check[] {
  const checks: Check[] = [...runChecks(results, budget), ...recommendationChecks(results, budget, baseline)];
  for (const cell of results.cells) {
    checks.push(stateCheck(cell, budget));
    if (cell.state !== 'completed') continue;
    const limits = limitsFor(budget, cell.engine, cell.precision);
    const base = { cellId: cell.cellId, engine: cell.engine, precision: cell.precision };
    const against = baseline ? baselineCell(baseline, cell, results) : undefined;

    for (const f of FIGURES) {
      const limit = limits[f.budget.key];
      if (limit === undefined) continue;
      const judge = (name: string, measured: number | null, batchSize?: number) => {
        const where = batchSize === undefined ? {} : { batchSize };
        if (measured === null) {
          checks.push({ ...base, ...where, name, metric: f.id, limit, status: 'skip', message: `${f.label} not measured: ${'whyMissing' in f ? f.whyMissing(cell) : 'this browser did not measure it'}` });
          return;
        }
        const ok = f.budget.side === 'max' ? measured <= limit : measured >= limit;
        checks.push({ ...base, ...where, name, metric: f.id, limit, measured, status: ok ? 'pass' : 'fail', message: limitMessage(f, measured, limit, ok) });
      };
      if (f.scope === 'cell') judge(`${cellName(cell)} ${f.id}`, f.value(cell));
      else for (const b of cell.batches) judge(`${cellName(cell)} b${b.batchSize} ${f.id}`, f.value(cell, b), b.batchSize);
    }

    if (baseline) {
      for (const b of cell.batches) {
        const where = `${cellName(cell)} b${b.batchSize}`;
        const maxRegression = limits.maxRegression ?? k_default_max_regression;
        const old = against?.state === 'completed' ? against.batches.find((x) => x.batchSize === b.batchSize) : undefined;
        if (!old) {
          checks.push({
            ...base,
            name: `${where} regression`,
            batchSize: b.batchSize,
            metric: 'regression',
            status: 'skip',
            limit: maxRegression,
            message: 'no completed baseline cell with this engine, precision and batch size',
          });
        } else {
          // Two runs: no round pairs across them, so the ratio is the unpaired one (one rule, in time-ratio.ts).
          const ci = timeRatio({ run: 'current', batch: b }, { run: 'baseline', batch: old }, budget.bootstrap);
          const failed = ci.low > maxRegression;
          checks.push({
            ...base,
            name: `${where} regression`,
            batchSize: b.batchSize,
            metric: 'regression',
            limit: maxRegression,
            measured: ci.ratio,
            interval: { low: ci.low, high: ci.high ?? Number.POSITIVE_INFINITY },
            status: failed ? 'fail' : 'pass',
            message: `median ${fmt(ci.ratio)}× the baseline (${Math.round(budget.bootstrap.confidence * 100)}% interval ${fmt(ci.low)}–${
              ci.high === null ? '∞' : fmt(ci.high)
            }×; ${fmt(b.stats.p50)} ms vs ${fmt(old.stats.p50)} ms): ${
              failed ? `slower than the allowed ${fmt(maxRegression)}× even at the interval's low end` : `within the allowed ${fmt(maxRegression)}×`
            }`,
          });
        }
      }
    }

    checks.push(...fidelityChecks(cell, limits, base));
  }
  return checks;
}

/** The budget's needs, weighed on this run and, with a baseline, on the baseline's: a changed recommendation fails unless allowed. */
function recommendationChecks(results: ResultsDocument, budget: Budget, baseline: ResultsDocument | undefined): Check[] {
  if (!budget.recommendation) return [];
  const { failWhenChanged, ...needs } = budget.recommendation;
  const now = recommend([results], needs, budget.bootstrap);
  const base = { cellId: 'run', engine: 'all', precision: 'all', name: 'run recommendation', metric: 'recommendation' as const };
  if (!baseline) return [{ ...base, status: now.best ? 'pass' : 'skip', message: now.headline }];
  const before = recommend([baseline], needs, budget.bootstrap);
  const named = (r: typeof now) => (r.best ? [r.best, ...r.ties].map((c) => c.label).join(' = ') : 'nothing qualifies');
  if (sameRecommendation(now, before)) return [{ ...base, status: 'pass', message: `same recommendation as the baseline (${named(now)}): ${now.headline}` }];
  return [
    {
      ...base,
      status: failWhenChanged ? 'fail' : 'skip',
      message: `the recommendation changed: the baseline's was ${named(before)}, this run's is ${named(now)}. ${now.headline}`,
    },
  ];
}

/** Checks on the run as a whole: something must have completed, and every required engine must have. */
function runChecks(results: ResultsDocument, budget: Budget): Check[] {
  const run = { cellId: 'run', engine: 'all', precision: 'all' };
  const completed = results.cells.filter((c) => c.state === 'completed');
  const checks: Check[] = [
    completed.length > 0
      ? { ...run, name: 'run completed-any', metric: 'completed-any', status: 'pass', message: `${completed.length} of ${results.cells.length} cells completed` }
      : {
          ...run,
          name: 'run completed-any',
          metric: 'completed-any',
          status: budget.allowNoCompleted ? 'skip' : 'fail',
          message: `no cell completed (${results.cells.length} ran): nothing was measured${budget.allowNoCompleted ? ', allowed by the budget' : ''}`,
        },
  ];
  for (const key of budget.require) {
    const [engine, precision] = key.split(':');
    const matching = results.cells.filter((c) => c.engine === engine && (precision === undefined || c.precision === precision));
    const done = matching.filter((c) => c.state === 'completed');
    checks.push({
      cellId: 'run',
      engine: engine ?? key,
      precision: precision ?? 'all',
      name: `required ${key}`,
      metric: 'required',
      status: done.length > 0 ? 'pass' : 'fail',
      message:
        done.length > 0
          ? `required ${key} completed`
          : matching.length === 0
            ? `required ${key} is not in the plan`
            : `required ${key} did not complete: ${matching.map((c) => (c.state === 'errored' ? `errored (${c.error.message})` : c.state === 'completed' ? c.state : `${c.state} (${c.reason})`)).join('; ')}`,
    });
  }
  return checks;
}

/** Per-slice fidelity limits, judged by the core's one drift rule (too-small slices are reported as skipped, with their size). */
function fidelityChecks(cell: Extract<CellResult, { state: 'completed' }>, limits: ReturnType<typeof limitsFor>, base: Pick<Check, 'cellId' | 'engine' | 'precision'>): Check[] {
  const wanted = [
    ['flip-rate', { maxFlipRate: limits.maxFlipRate }, limits.maxFlipRate],
    ['attribution-rank-correlation', { minAttributionRankCorrelation: limits.minAttributionRankCorrelation }, limits.minAttributionRankCorrelation],
    ['accuracy-drop', { maxAccuracyDrop: limits.maxAccuracyDrop }, limits.maxAccuracyDrop],
    ['tpr-gap', { maxTruePositiveRateGap: limits.maxTruePositiveRateGap }, limits.maxTruePositiveRateGap],
  ] as const;
  const out: Check[] = [];
  for (const [metric, driftLimits, limit] of wanted) {
    if (limit === undefined) continue;
    const fidelity = cell.fidelity;
    if (fidelity?.state !== 'measured') {
      out.push({
        ...base,
        name: `${cell.cellId} ${metric}`,
        metric,
        limit,
        status: 'skip',
        message: `${metric} not measured: ${fidelity ? fidelity.reason : 'the plan did not ask for a fidelity pass on this cell'}`,
      });
      continue;
    }
    const verdicts = judgeDrift(fidelity.report, driftLimits);
    if (verdicts.length === 0) {
      out.push({ ...base, name: `${cell.cellId} ${metric}`, metric, limit, status: 'skip', message: `${metric} not measured: ${k_unmeasured[metric]}` });
    }
    for (const v of verdicts) {
      out.push({
        ...base,
        name: `${cell.cellId} ${metric} [${v.slice}]`,
        metric,
        slice: v.slice,
        limit,
        measured: v.value,
        status: v.status === 'too-small' ? 'skip' : v.status,
        message: v.message,
      });
    }
  }
  return out;
}

/** Why a measured fidelity pass has no verdict for a drift metric. */
const k_unmeasured: Readonly<Record<DriftMetric, string>> = Object.freeze({
  'flip-rate': 'the fidelity pass had no reference outputs to compare with',
  'attribution-rank-correlation': 'the fidelity pass computed no attributions',
  'accuracy-drop': 'the fidelity pass has no per-slice accuracy drop (unlabelled data, or a file from before it was measured)',
  'tpr-gap': 'the fidelity pass has no true-positive rates (not a binary model, or a file from before they were measured)',
});

export function failedChecks(checks: readonly Check[]): Check[] {
  return checks.filter((c) => c.status === 'fail');
}
