/**
 * What a run found, in plain words, for the top of the results (and the
 * presentation mode, which steps through them). Built here from the results
 * document alone, by the same rules the tables follow: cells are ranked only
 * by their paired ratios and only where the interval excludes 1, no cell
 * without a checked answer is timed, and a software GPU is named as one.
 *
 * The recommendation (which configuration to ship under a latency objective
 * and a drift budget) is made elsewhere; it enters through
 * `FindingsOptions.recommendation` and is shown first when there is one.
 */
import type { PairedRatio, RankedEntry } from '../bench/ratios';
import type { SliceGap, SliceMetrics } from '../fidelity/types';
import { costPerMillion, formatFactor, formatMoney, formatRate } from '../util/format';
import { k_bridged_words } from './time-ratio';
import { cellName } from './cell-name';
import type { CompletedCell } from './figures';
import type { CellResult, FidelityOutcome, ResultsDocument } from './results';
import { isSoftwareGpuCell, SOFTWARE_GPU_MARK } from './software-gpu';

export type FindingKind = 'recommendation' | 'speed' | 'cost' | 'drift' | 'caveat';

export interface Finding {
  /** Stable within one results document: "speed-b16", "drift", … */
  id: string;
  kind: FindingKind;
  /** One or two sentences a learner can read aloud. */
  text: string;
  /** The cells it speaks of, most important first. */
  cellIds: string[];
  /** Speaks of a cell that ran on a software GPU (the text names such a cell with the mark, or says it in words). */
  softwareGpu: boolean;
}

/**
 * Whether a finding needs the software-GPU mark beside its words: it speaks of
 * such a cell and does not already name it with the mark (a second mark on
 * the same line only pushes the findings off a 1280×720 screen).
 */
export function needsSoftwareGpuMark(finding: Pick<Finding, 'softwareGpu' | 'text'>): boolean {
  return finding.softwareGpu && !finding.text.includes(SOFTWARE_GPU_MARK);
}

/** The slot the recommendation core fills: its sentence and the cells it names. */
export interface RecommendationInput {
  text: string;
  cellIds?: string[];
}

export interface FindingsOptions {
  /** Price of an hour of the hardware a cell ran on, in dollars (the cost finding's basis; the page prices CPU and GPU apart). */
  priceOf: (cell: CellResult) => number;
  /** The recommendation where one exists (null or absent: none is shown). */
  recommendation?: RecommendationInput | null;
}

type MeasuredCell = CompletedCell & { fidelity: Extract<FidelityOutcome, { state: 'measured' }> };

/** "1.42×", "43.1×", "2,360×", "∞" (∞ carries no sign). */
export function formatRatio(x: number): string {
  const f = formatFactor(x);
  return f === '∞' ? f : `${f}×`;
}

/** "125 rows/s", "4.00 k rows/s". */
export function formatRows(perSec: number): string {
  return `${formatRate(perSec).replace(/\s?\/s$/, '')} rows/s`;
}

function interval(r: PairedRatio): string {
  return `95% interval ${formatRatio(r.low).replace('×', '')}–${formatRatio(r.high)}${r.bridged ? `, ${k_bridged_words}` : ''}`;
}

const percent = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
const percentRange = (ci: { low: number; high: number }) => `${(ci.low * 100).toFixed(2)}–${(ci.high * 100).toFixed(2)}%`;

/** "A", "A and B", "A, B and C". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function makeNamer(results: ResultsDocument) {
  const byId = new Map(results.cells.map((c) => [c.cellId, c]));
  const soft = (id: string) => {
    const c = byId.get(id);
    return c !== undefined && isSoftwareGpuCell(c, results.device);
  };
  /** The cell's name, with the software-GPU mark where it applies. */
  const name = (id: string) => {
    const c = byId.get(id);
    if (!c) return id;
    return soft(id) ? `${cellName(c)} (${SOFTWARE_GPU_MARK})` : cellName(c);
  };
  return { name, soft };
}

function speedFinding(results: ResultsDocument, batchSize: number, ranking: readonly RankedEntry<string>[]): Finding | null {
  const { name, soft } = makeNamer(results);
  const base = { id: `speed-b${batchSize}`, kind: 'speed' as const };
  const ids = ranking.map((r) => r.key);
  const mark = (cellIds: string[]) => ({ cellIds, softwareGpu: cellIds.some(soft) });
  const first = ranking[0];
  if (!first) return null;
  if (ranking.length === 1) {
    return { ...base, text: `At batch ${batchSize}, only ${name(first.key)} completed: there is nothing to compare it with.`, ...mark([first.key]) };
  }
  // Rank groups: cells in one group cannot be told apart from its first, so none of them is ever named alone as "the next" or "the slowest".
  const groupOf = (rank: number) => ranking.filter((r) => r.rank === rank);
  const leaders = groupOf(first.rank);
  const rest = ranking.filter((r) => r.rank !== first.rank);
  const next = rest[0] ? groupOf(rest[0].rank) : [];
  const last = rest.at(-1);
  const slowest = last && last.rank !== next[0]?.rank ? groupOf(last.rank) : [];
  const asLong = (r: RankedEntry<string>) => (r.vsFastest ? `${formatRatio(r.vsFastest.ratio)} as long (${interval(r.vsFastest)})` : '');
  const several = (group: readonly RankedEntry<string>[]) => listNames(group.map((r) => `${name(r.key)} takes ${asLong(r)}`));
  const slowestText =
    slowest.length === 0 || !slowest.every((r) => r.vsFastest?.verdict === 'slower')
      ? ''
      : slowest.length === 1
        ? ` The slowest, ${name(slowest[0]!.key)}, takes ${asLong(slowest[0]!)}.`
        : ` The slowest ${slowest.length} cannot be ranked among themselves on this evidence: ${several(slowest)}.`;
  if (leaders.length === 1) {
    const vs = next[0]?.vsFastest;
    if (!next[0] || !vs) return null;
    const nextText =
      next.length === 1
        ? `${formatRatio(vs.ratio)} faster than the next, ${name(next[0].key)} (${interval(vs)})`
        : `the next ${next.length} cannot be ranked among themselves on this evidence: ${several(next)}`;
    return { ...base, text: `At batch ${batchSize}, ${name(first.key)} is the fastest: ${nextText}.${slowestText}`, ...mark(ids) };
  }
  const tiedWith = leaders[1]?.vsFastest;
  const tie = `At batch ${batchSize}, ${listNames(leaders.map((r) => name(r.key)))} are the fastest and cannot be told apart${
    leaders.length === 2 && tiedWith ? ` (ratio ${formatRatio(tiedWith.ratio)}, ${interval(tiedWith)}, which holds 1)` : ' on this evidence'
  }.`;
  const nextText =
    next.length === 0
      ? ''
      : next.length === 1
        ? ` The next, ${name(next[0]!.key)}, takes ${formatRatio(next[0]!.vsFastest!.ratio)} as long as ${name(first.key)} (${interval(next[0]!.vsFastest!)}).`
        : ` The next ${next.length} cannot be ranked among themselves on this evidence: ${several(next)}, against ${name(first.key)}.`;
  return { ...base, text: `${tie}${nextText}${slowestText}`, ...mark(ids) };
}

function costFinding(results: ResultsDocument, priceOf: (cell: CellResult) => number): Finding | null {
  const { name, soft } = makeNamer(results);
  let best: { cell: CompletedCell; batchSize: number; rowsPerSec: number } | null = null;
  for (const cell of results.cells) {
    if (cell.state !== 'completed') continue;
    for (const b of cell.batches) if (!best || b.throughputPerSec > best.rowsPerSec) best = { cell, batchSize: b.batchSize, rowsPerSec: b.throughputPerSec };
  }
  if (!best) return null;
  const pricePerHour = priceOf(best.cell);
  const cost = formatMoney(costPerMillion(pricePerHour, best.rowsPerSec));
  return {
    id: 'cost',
    kind: 'cost',
    text: `At ${formatMoney(pricePerHour)} per hour of its hardware, ${name(best.cell.cellId)} at batch ${best.batchSize} serves 1M predictions for ${cost}: the most rows per second measured (${formatRows(best.rowsPerSec)} at the median, one batch after another).`,
    cellIds: [best.cell.cellId],
    softwareGpu: soft(best.cell.cellId),
  };
}

function measured(cells: readonly CellResult[]): MeasuredCell[] {
  return cells.filter((c): c is MeasuredCell => c.state === 'completed' && c.fidelity?.state === 'measured');
}

/** The slice (large enough to judge) where this cell flipped the most, with the flip-rate gap of its grouping. */
function worstSlice(cell: MeasuredCell): { slice: SliceMetrics; gap: Extract<SliceGap, { state: 'computed' }> | null; slices: readonly SliceMetrics[] } | null {
  const report = cell.fidelity.report;
  let worst: { slice: SliceMetrics; gap: Extract<SliceGap, { state: 'computed' }> | null; slices: readonly SliceMetrics[] } | null = null;
  for (const grouping of report.groupings) {
    const gap = grouping.gaps.find((g): g is Extract<SliceGap, { state: 'computed' }> => g.metric === 'flipRate' && g.state === 'computed') ?? null;
    for (const slice of grouping.slices) {
      if (slice.n < report.minSliceSize || slice.flipRate === null) continue;
      if (!worst || slice.flipRate > (worst.slice.flipRate ?? 0)) worst = { slice, gap: gap?.highest.slice === slice.slice ? gap : null, slices: grouping.slices };
    }
  }
  return worst;
}

function driftFinding(results: ResultsDocument): Finding | null {
  const { name, soft } = makeNamer(results);
  const cells = measured(results.cells);
  if (cells.length === 0) return null;
  const withFlipRate = cells.filter((c) => c.fidelity.report.overall.flipRate !== null);
  if (withFlipRate.length === 0) {
    // Image-to-image models have no class to flip: how far the outputs moved is their PSNR.
    const withPsnr = cells.filter((c) => c.fidelity.report.psnr?.minDb !== null && c.fidelity.report.psnr !== null);
    const worst = withPsnr.sort((a, b) => (a.fidelity.report.psnr?.minDb ?? Infinity) - (b.fidelity.report.psnr?.minDb ?? Infinity))[0];
    const psnr = worst?.fidelity.report.psnr;
    if (!worst || !psnr || psnr.minDb === null || psnr.meanDb === null) return null;
    return {
      id: 'drift',
      kind: 'drift',
      text: `${name(worst.cellId)} moves the outputs furthest from the FP32 reference: mean PSNR ${psnr.meanDb.toFixed(1)} dB, worst image ${psnr.minDb.toFixed(1)} dB (higher is closer).`,
      cellIds: [worst.cellId],
      softwareGpu: soft(worst.cellId),
    };
  }
  const flipping = withFlipRate.filter((c) => (c.fidelity.report.overall.flipRate ?? 0) > 0).sort((a, b) => (b.fidelity.report.overall.flipRate ?? 0) - (a.fidelity.report.overall.flipRate ?? 0));
  const rows = withFlipRate[0]?.fidelity.report.overall.n ?? 0;
  const top = flipping[0];
  if (!top) {
    return {
      id: 'drift',
      kind: 'drift',
      text: `No configuration changed a prediction: all ${withFlipRate.length} checked agree with the FP32 reference on every one of the ${rows} evaluation rows.`,
      cellIds: withFlipRate.map((c) => c.cellId),
      // The sentence names no cell and makes no speed claim: no software-GPU mark.
      softwareGpu: false,
    };
  }
  const overall = top.fidelity.report.overall;
  const overallCi = overall.ci.flipRate ? ` (95% interval ${percentRange(overall.ci.flipRate)})` : '';
  let text = `${name(top.cellId)} moved the most predictions: it changed ${percent(overall.flipRate ?? 0)} of the ${overall.n} evaluation rows against the FP32 reference${overallCi}.`;
  const worst = worstSlice(top);
  if (worst?.slice.flipRate !== null && worst?.slice.flipRate !== undefined && worst.slice.flipRate > 0) {
    const ci = worst.slice.ci.flipRate ? ` (95% interval ${percentRange(worst.slice.ci.flipRate)})` : '';
    text += ` Most for ${worst.slice.slice}: ${percent(worst.slice.flipRate)} of its ${worst.slice.n} rows${ci}`;
    const gap = worst.gap;
    if (gap) {
      // The interval re-draws every slice and takes the largest gap each time (not these two slices' difference), so it can sit apart from either slice's own interval.
      const gapCi = gap.ci ? `, 95% interval for the largest gap between its slices ${(gap.ci.low * 100).toFixed(2)}–${(gap.ci.high * 100).toFixed(2)} points` : '';
      // max − min over slices is never below 0, so that interval cannot hold 0: the caution comes from the two slices' own intervals.
      const high = worst.slice.ci.flipRate;
      const low = worst.slices.find((x) => x.slice === gap.lowest.slice)?.ci.flipRate;
      const noise = high && low && high.low <= low.high ? "; the two slices' own intervals overlap, so this gap may be sampling noise" : '';
      text += `, against ${percent(gap.lowest.value)} for ${gap.lowest.slice} (a gap of ${(gap.gap * 100).toFixed(2)} points${gapCi}${noise})`;
    }
    text += '.';
  }
  const others = flipping.slice(1);
  if (others.length > 0) text += ` Also moved: ${others.map((c) => `${name(c.cellId)} ${percent(c.fidelity.report.overall.flipRate ?? 0)}`).join(', ')}.`;
  const still = withFlipRate.length - flipping.length;
  if (still > 0) text += ` ${still} other configuration${still > 1 ? 's' : ''} changed none.`;
  return { id: 'drift', kind: 'drift', text, cellIds: flipping.map((c) => c.cellId), softwareGpu: flipping.some((c) => soft(c.cellId)) };
}

function caveats(results: ResultsDocument): Finding[] {
  const { soft } = makeNamer(results);
  const out: Finding[] = [];
  const completed = results.cells.filter((c) => c.state === 'completed');
  const software = completed.filter((c) => soft(c.cellId));
  if (software.length > 0) {
    out.push({
      id: 'software-gpu',
      kind: 'caveat',
      text: `${listNames(software.map((c) => cellName(c)))} ran on a software GPU (the CPU emulating one): ${software.length > 1 ? 'they prove the code path works, and their' : 'it proves the code path works, and its'} speed is not a GPU speed.`,
      cellIds: software.map((c) => c.cellId),
      softwareGpu: true,
    });
  }
  if (results.timing.verdict === 'unstable') out.push({ id: 'unstable', kind: 'caveat', text: results.timing.note, cellIds: [], softwareGpu: false });
  const wrong = results.cells.filter((c) => c.state === 'errored' && c.error.kind === 'wrong-results');
  if (wrong.length > 0) {
    out.push({
      id: 'wrong-results',
      kind: 'caveat',
      text: `${listNames(wrong.map((c) => cellName(c)))} answered wrongly (outputs beyond the tolerance) and ${wrong.length > 1 ? 'show' : 'shows'} no timings.`,
      cellIds: wrong.map((c) => c.cellId),
      softwareGpu: false,
    });
  }
  const failed = results.cells.filter((c) => c.state === 'errored' && c.error.kind !== 'wrong-results');
  if (failed.length > 0) {
    out.push({ id: 'errored', kind: 'caveat', text: `${listNames(failed.map((c) => cellName(c)))} failed; the table says how.`, cellIds: failed.map((c) => c.cellId), softwareGpu: false });
  }
  const unavailable = results.cells.filter((c) => c.state === 'unavailable');
  if (unavailable.length > 0) {
    out.push({
      id: 'unavailable',
      kind: 'caveat',
      // Unavailable is a backend this device lacks or an operator, type or variant the engine lacks for this model: the table says which.
      text: `Not available here: ${listNames(unavailable.map((c) => cellName(c)))} (the table gives each engine's reason: a backend this device lacks, something this model needs that the engine does not have, or a file the lab does not make for it).`,
      cellIds: unavailable.map((c) => c.cellId),
      softwareGpu: false,
    });
  }
  const loosened = completed.filter((c) => c.tolerance.source === 'plan-looser');
  if (loosened.length > 0) {
    out.push({
      id: 'loosened',
      kind: 'caveat',
      text: `${listNames(loosened.map((c) => cellName(c)))} passed a tolerance looser than the model's own (custom tolerance ${loosened[0]?.tolerance.applied.toExponential(1)}, manifest ${loosened[0]?.tolerance.manifest.toExponential(1)}).`,
      cellIds: loosened.map((c) => c.cellId),
      softwareGpu: false,
    });
  }
  return out;
}

/** The findings of one run, most important first: the recommendation (when given), speed per batch size, cost, drift, then caveats. */
export function buildFindings(results: ResultsDocument, options: FindingsOptions): Finding[] {
  const out: Finding[] = [];
  if (options.recommendation) {
    const cellIds = options.recommendation.cellIds ?? [];
    out.push({ id: 'recommendation', kind: 'recommendation', text: options.recommendation.text, cellIds, softwareGpu: cellIds.some(makeNamer(results).soft) });
  }
  for (const comparison of [...results.comparisons].sort((a, b) => a.batchSize - b.batchSize)) {
    const finding = speedFinding(results, comparison.batchSize, comparison.ranking);
    if (finding) out.push(finding);
  }
  const cost = costFinding(results, options.priceOf);
  if (cost) out.push(cost);
  const drift = driftFinding(results);
  if (drift) out.push(drift);
  out.push(...caveats(results));
  return out;
}
