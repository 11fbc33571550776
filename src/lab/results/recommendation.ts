/**
 * The answer a run ends in: which configuration meets the user's objective
 * and drift budget at the lowest cost per million predictions, which ones
 * tie with it, and why every other one lost.
 *
 * A configuration is one completed cell at one batch size, on one device
 * (several results documents can be weighed together). It qualifies when
 *  - its outputs agreed with the golden outputs (only completed cells have timings),
 *  - it meets the objective: the chosen percentile of its warm latency per batch
 *    at the objective's batch size is at most maxMs (the measured figure, as a
 *    budget judges it), or its rows per second reach the throughput target,
 *  - and, when a drift budget is set, its fidelity pass judges within every
 *    limit in every slice large enough to judge (the one drift rule,
 *    fidelity/drift-judge.ts); a limit the file cannot judge disqualifies it:
 *    an unmeasured drift is never assumed to be small.
 * Cost per 1M predictions = price per hour of the cell's hardware × the time
 * to serve a million rows back to back at its median throughput.
 * Qualifying configurations are compared with the cheapest by the ratio of
 * their costs, whose interval comes from the timing ratio (paired rounds in
 * one run, a bootstrap of medians across runs: results/time-ratio.ts); one
 * whose interval holds 1 ties with it and is not ranked below it.
 */
import type { BootstrapOptions } from '../bench/statistics';
import type { HardwareKind } from '../engines/hardware';
import { hardwareOf, HARDWARE_LABELS } from '../engines/hardware';
import { judgeDrift, unjudgedDriftLimits } from '../fidelity/drift-judge';
import { costPerMillion, formatMoney, formatMs, formatRate } from '../util/format';
import { toleranceLabel } from '../runner/tolerance';
import { cellName } from './cell-name';
import { deviceLabel } from './device-label';
import { figure } from './figures';
import type { RecommendationNeeds } from './recommendation-needs';
import type { BatchMeasurement, CellResult, ResultsDocument } from './results';
import type { MeasuredBatch, TimeRatio } from './time-ratio';
import { formatRatio, k_ratio_bootstrap, measuredBatch, timeRatio } from './time-ratio';

/** One configuration: a cell at a batch size, on the device of one run. */
export interface ConfigurationRef {
  /** Device-independent identity, for comparing with a baseline's: "ort-wasm:int8:onnx:t2@b16". */
  key: string;
  /** "ORT wasm INT8 · batch 16". */
  label: string;
  device: string;
  /** Index of its run among the documents weighed. */
  run: number;
  cellId: string;
  /** null when the whole cell lost, whatever the batch size. */
  batchSize: number | null;
  /** "custom tolerance X (manifest Y)" when a plan loosened the check this cell passed: shown wherever it is. */
  toleranceLabel?: string;
}

export interface CostRatio extends Omit<TimeRatio, 'verdict'> {
  /** 'tie' when the interval holds 1. */
  verdict: 'tie' | 'costlier' | 'cheaper';
}

export interface QualifyingConfiguration extends ConfigurationRef {
  batchSize: number;
  hardware: HardwareKind;
  /** Why the hardware kind is not the backend's obvious one (a software GPU priced as the CPU). */
  hardwareNote?: string;
  pricePerHour: number;
  costPerMillion: number;
  throughputPerSec: number;
  /** The objective's percentile at its batch size (latency objectives). */
  latencyMs?: number;
  /** Its cost over the recommended configuration's; absent on the recommended one. */
  vsBest?: CostRatio;
}

export type LossKind = 'costlier' | 'too-slow' | 'outside-drift-budget' | 'drift-not-measured' | 'not-measured' | 'unavailable' | 'errored' | 'aborted';

export interface RunnerUp extends ConfigurationRef {
  /** The first reason it lost; `why` gives every reason in words. */
  lost: LossKind;
  why: string;
  costPerMillion?: number;
  vsBest?: CostRatio;
}

export interface Recommendation {
  needs: RecommendationNeeds;
  status: 'recommended' | 'nothing-qualifies';
  best: QualifyingConfiguration | null;
  /** Indistinguishable in cost from the recommended one: ties, not ranked. */
  ties: QualifyingConfiguration[];
  /** Every other configuration, cheapest qualifying first, then the ones that failed a need, then the ones that never ran. */
  runnersUp: RunnerUp[];
  /** The answer in one sentence. */
  headline: string;
  /** How costs and ties were computed, and anything priced unusually. */
  notes: string[];
}

const k_loss_order: readonly LossKind[] = ['costlier', 'too-slow', 'outside-drift-budget', 'drift-not-measured', 'not-measured', 'errored', 'unavailable', 'aborted'];

const pts = (x: number) => `${(x * 100).toFixed(1)} pts`;

function configKey(cell: CellResult, batchSize: number | null): string {
  const threads = cell.state === 'completed' ? (cell.runtime?.threads ?? 0) : 0;
  return `${cell.engine}:${cell.precision}:${cell.format ?? cell.descriptor.formats[0]}${threads > 0 ? `:t${threads}` : ''}${batchSize === null ? '' : `@b${batchSize}`}`;
}

function ref(cell: CellResult, batchSize: number | null, run: number, device: string): ConfigurationRef {
  const loosened = cell.state === 'completed' ? toleranceLabel(cell.tolerance) : null;
  return {
    key: configKey(cell, batchSize),
    label: batchSize === null ? cellName(cell) : `${cellName(cell)} · batch ${batchSize}`,
    device,
    run,
    cellId: cell.cellId,
    batchSize,
    ...(loosened ? { toleranceLabel: loosened } : {}),
  };
}

/** Why a cell's drift does not fit the budget (every failing slice, by how much), or why it cannot be told; null when it fits or no budget is set. */
function driftLoss(cell: Extract<CellResult, { state: 'completed' }>, needs: RecommendationNeeds): { lost: LossKind; why: string } | null {
  const limits = needs.drift;
  if (Object.values(limits).every((v) => v === undefined)) return null;
  const fidelity = cell.fidelity;
  if (fidelity?.state !== 'measured') {
    return { lost: 'drift-not-measured', why: `drift not measured (${fidelity ? fidelity.reason : 'no fidelity pass on this cell'}), so the drift budget cannot be shown to hold` };
  }
  const failing = judgeDrift(fidelity.report, limits).filter((v) => v.status === 'fail');
  if (failing.length > 0) {
    const by = (v: (typeof failing)[number]) => {
      const excess = v.metric === 'attribution-rank-correlation' ? (v.limit - v.value).toFixed(3) : v.metric === 'flip-rate' ? `${((v.value - v.limit) * 100).toFixed(2)}%` : pts(v.value - v.limit);
      return `${v.message} (over by ${excess})`;
    };
    return { lost: 'outside-drift-budget', why: `outside the drift budget: ${failing.map(by).join('; ')}` };
  }
  const unjudged = unjudgedDriftLimits(fidelity.report, limits);
  if (unjudged.length > 0) return { lost: 'drift-not-measured', why: `drift budget not measurable from this result: ${unjudged.join(', ')} not measured` };
  return null;
}

/** Whether the batch meets the objective; the words say by how much when it does not. */
function objectiveLoss(cell: Extract<CellResult, { state: 'completed' }>, batch: BatchMeasurement, needs: RecommendationNeeds): string | null {
  const o = needs.objective;
  if (o.kind === 'throughput') {
    return batch.throughputPerSec >= o.minRowsPerSec ? null : `too slow: ${formatRate(batch.throughputPerSec)} rows < the ${formatRate(o.minRowsPerSec)} needed`;
  }
  const f = figure(o.percentile);
  const measured = f.scope === 'batch' ? f.value(cell, batch) : null;
  if (measured === null) return `${f.label} not measured`;
  return measured <= o.maxMs ? null : `too slow: ${f.label} ${formatMs(measured)} > ${formatMs(o.maxMs)} at batch ${o.batchSize}`;
}

/** The batches a cell offers for this objective: only the objective's batch size for a latency objective. */
function batchesFor(cell: Extract<CellResult, { state: 'completed' }>, needs: RecommendationNeeds): BatchMeasurement[] {
  const o = needs.objective;
  return o.kind === 'latency' ? cell.batches.filter((b) => b.batchSize === o.batchSize) : cell.batches;
}

interface Priced extends QualifyingConfiguration {
  measured: MeasuredBatch;
}

/**
 * Cost of `c` over the cheapest `best`: prices × batch sizes × the timing
 * ratio (time per batch of c over best), with that ratio's interval. Null
 * when `best` is free and `c` is not: no ratio, simply costlier.
 */
function costRatio(c: Priced, best: Priced, bootstrap: BootstrapOptions): CostRatio | null {
  if (c.pricePerHour === 0 && best.pricePerHour === 0) return { ratio: 1, low: 1, high: 1, method: 'paired-rounds', verdict: 'tie' };
  if (best.pricePerHour === 0) return null;
  const t = timeRatio(c.measured, best.measured, bootstrap);
  const scale = (c.pricePerHour / best.pricePerHour) * (best.batchSize / c.batchSize);
  const low = t.low * scale;
  const high = t.high === null ? null : t.high * scale;
  const verdict = low > 1 ? 'costlier' : high !== null && high < 1 ? 'cheaper' : 'tie';
  return { ratio: t.ratio * scale, low, high, method: t.method, verdict };
}

function objectiveWords(needs: RecommendationNeeds): string {
  const o = needs.objective;
  return o.kind === 'latency' ? `${figure(o.percentile).label} ≤ ${formatMs(o.maxMs)} at batch ${o.batchSize}` : `at least ${formatRate(o.minRowsPerSec)} rows`;
}

function driftWords(needs: RecommendationNeeds): string {
  const d = needs.drift;
  const parts = [
    d.maxFlipRate !== undefined ? `flip rate ≤ ${(d.maxFlipRate * 100).toFixed(2)}%` : null,
    d.maxAccuracyDrop !== undefined ? `accuracy drop ≤ ${pts(d.maxAccuracyDrop)}` : null,
    d.minAttributionRankCorrelation !== undefined ? `attribution rank correlation ≥ ${d.minAttributionRankCorrelation}` : null,
    d.maxTruePositiveRateGap !== undefined ? `TPR gap ≤ ${pts(d.maxTruePositiveRateGap)}` : null,
  ].filter((x): x is string => x !== null);
  return parts.length === 0 ? 'no drift budget' : `${parts.join(', ')} in every slice`;
}

/**
 * Weighs every configuration of every run against the needs.
 * Pure and deterministic (seeded bootstraps); the page, the CLI and the report call it alike.
 */
export function recommend(docs: readonly ResultsDocument[], needs: RecommendationNeeds, bootstrap: BootstrapOptions = k_ratio_bootstrap): Recommendation {
  const qualifying: Priced[] = [];
  const losers: RunnerUp[] = [];
  const notes = new Set<string>();
  docs.forEach((doc, run) => {
    const device = deviceLabel(doc.device);
    for (const cell of doc.cells) {
      if (cell.state !== 'completed') {
        const why = cell.state === 'errored' ? `errored (${cell.error.kind}): ${cell.error.message}` : cell.state === 'unavailable' ? `unavailable here: ${cell.reason}` : `aborted: ${cell.reason}`;
        losers.push({ ...ref(cell, null, run, device), lost: cell.state, why });
        continue;
      }
      const batches = batchesFor(cell, needs);
      if (batches.length === 0) {
        const o = needs.objective;
        losers.push({ ...ref(cell, null, run, device), lost: 'not-measured', why: `not measured at batch ${o.kind === 'latency' ? o.batchSize : '?'} (the plan timed ${cell.batches.map((b) => b.batchSize).join(', ')})` });
        continue;
      }
      const drift = driftLoss(cell, needs);
      const hardware = hardwareOf(cell.descriptor.backend, doc.device);
      if (hardware.note) notes.add(`${cellName(cell)}: ${hardware.note}.`);
      const price = needs.pricePerHour[hardware.kind];
      for (const batch of batches) {
        const at = ref(cell, batch.batchSize, run, device);
        const slow = objectiveLoss(cell, batch, needs);
        const reasons = [slow, drift?.why].filter((x): x is string => x !== null && x !== undefined);
        const cost = costPerMillion(price, batch.throughputPerSec);
        if (!Number.isFinite(cost)) {
          losers.push({ ...at, lost: 'not-measured', why: `median latency ${formatMs(batch.stats.p50)}: too short for this clock to give a throughput` });
          continue;
        }
        if (reasons.length > 0) {
          losers.push({ ...at, lost: slow !== null ? 'too-slow' : (drift?.lost ?? 'outside-drift-budget'), why: reasons.join('; '), costPerMillion: cost });
          continue;
        }
        const latency = needs.objective.kind === 'latency' ? figure(needs.objective.percentile) : null;
        const latencyMs = latency?.scope === 'batch' ? latency.value(cell, batch) : null;
        qualifying.push({
          ...at,
          batchSize: batch.batchSize,
          hardware: hardware.kind,
          ...(hardware.note ? { hardwareNote: hardware.note } : {}),
          pricePerHour: price,
          costPerMillion: cost,
          throughputPerSec: batch.throughputPerSec,
          ...(latencyMs !== null ? { latencyMs } : {}),
          measured: measuredBatch(doc, cell, batch),
        });
      }
    }
  });

  qualifying.sort((a, b) => a.costPerMillion - b.costPerMillion);
  const [cheapest] = qualifying;
  const ties: QualifyingConfiguration[] = [];
  const costlier: RunnerUp[] = [];
  for (const c of qualifying.slice(1)) {
    const vsBest = costRatio(c, cheapest!, bootstrap);
    const shown = publicConfig(c);
    if (vsBest === null) {
      costlier.push({ ...shown, lost: 'costlier', why: `costs ${formatMoney(c.costPerMillion)} per 1M predictions where the recommended one costs nothing (its hardware is priced at $0/h)`, costPerMillion: c.costPerMillion });
    } else if (vsBest.verdict === 'costlier') {
      costlier.push({ ...shown, lost: 'costlier', why: `costs ${formatRatio(vsBest)} as much per 1M predictions (${formatMoney(c.costPerMillion)})`, costPerMillion: c.costPerMillion, vsBest });
    } else {
      ties.push({ ...shown, vsBest });
    }
  }
  losers.sort((a, b) => k_loss_order.indexOf(a.lost) - k_loss_order.indexOf(b.lost) || (a.costPerMillion ?? Infinity) - (b.costPerMillion ?? Infinity));
  notes.add(
    'Cost per 1M predictions = price per hour of the hardware × the time to serve a million rows back to back at the median throughput (one stream, no idle time). Two configurations tie when the 95% interval of their cost ratio holds 1: paired by round within one run (through the bridge cell between two stages of a staged run), a bootstrap of the ratio of medians across runs.',
  );

  const best = cheapest ? publicConfig(cheapest) : null;
  return {
    needs,
    status: best ? 'recommended' : 'nothing-qualifies',
    best,
    ties,
    runnersUp: [...costlier, ...losers],
    headline: headline(best, ties, needs, docs.length > 1, qualifying.length + losers.length),
    notes: [...notes],
  };
}

function publicConfig(c: Priced): QualifyingConfiguration {
  const { measured: _measured, ...shown } = c;
  return shown;
}

function headline(best: QualifyingConfiguration | null, ties: readonly QualifyingConfiguration[], needs: RecommendationNeeds, manyDevices: boolean, considered: number): string {
  const wants = `${objectiveWords(needs)}, ${driftWords(needs)}`;
  if (!best) return `Nothing qualifies: none of the ${considered} configuration(s) measured meets ${wants}. See why each lost below.`;
  const where = manyDevices ? ` on ${best.device}` : '';
  const measured = best.latencyMs !== undefined && needs.objective.kind === 'latency' ? ` (${figure(needs.objective.percentile).label} ${formatMs(best.latencyMs)})` : ` (${formatRate(best.throughputPerSec)} rows)`;
  const tied = ties.length > 0 ? `; indistinguishable in cost from ${ties.map((t) => `${t.label}${manyDevices ? ` on ${t.device}` : ''} (${formatRatio(t.vsBest!)})`).join(', ')}, so these tie` : '';
  return `${best.label}${where} on ${HARDWARE_LABELS[best.hardware]}: ${formatMoney(best.costPerMillion)} per 1M predictions${measured}, meeting ${wants}${tied}.`;
}

/** Whether two recommendations name the same configuration: their tie groups share one (devices aside). */
export function sameRecommendation(a: Recommendation, b: Recommendation): boolean {
  const keys = (r: Recommendation) => new Set([r.best, ...r.ties].filter((c): c is QualifyingConfiguration => c !== null).map((c) => c.key));
  const ka = keys(a);
  const kb = keys(b);
  if (ka.size === 0 || kb.size === 0) return ka.size === kb.size;
  return [...ka].some((k) => kb.has(k));
}
