/**
 * Comparing cells that were measured in interleaved rounds.
 *
 * Within one round every cell ran under (nearly) the same host state, so the
 * ratio of two cells' medians in that round cancels the host's drift; across
 * rounds those ratios scatter only by what drift did *within* a round. The
 * ratio of two cells is summarised as the geometric mean of the per-round
 * ratios with a Student-t interval on their logarithms (paired design,
 * df = rounds − 1). When that interval holds 1 the two are indistinguishable
 * on this evidence and are never ranked.
 *
 * A staged run (run-stages.ts) samples each engine's cells in rounds of their
 * own, beside one bridge cell sampled in every round. Two cells that shared
 * no round are compared through the bridge: A/C = (A/B in A's rounds) ×
 * (B/C in C's rounds), each factor paired, the interval on the sum of the two
 * mean logs (Welch–Satterthwaite degrees of freedom). It is wider than a
 * direct pairing, as it should be: two stages' within-round scatter adds up.
 */
import { medianCiLowerRank, sortSamples, quantile, tCritical975 } from './statistics';

/** A cell whose round medians spread wider than this (max/min) was measured in shifting conditions. */
export const k_unstable_round_spread = 1.5;

export interface RoundSummary {
  /** Median of the round medians. */
  median: number;
  /** Distribution-free 95% interval of the median over rounds ([min, max] below 6 rounds). */
  low: number;
  high: number;
  /** max / min of the round medians: how far the host moved while this cell was sampled. */
  spread: number;
  rounds: number;
  /** spread > k_unstable_round_spread. */
  unstable: boolean;
}

function median(xs: readonly number[]): number {
  return quantile(sortSamples(xs), 0.5);
}

/** Median of each round's samples. */
export function roundMedians(rounds: readonly (readonly number[])[]): number[] {
  return rounds.filter((r) => r.length > 0).map((r) => median(r));
}

export function summariseRounds(medians: readonly number[]): RoundSummary {
  const sorted = sortSamples(medians);
  const n = sorted.length;
  const l = medianCiLowerRank(n);
  const min = sorted[0] ?? 0;
  const max = sorted[n - 1] ?? 0;
  const spread = min > 0 ? max / min : Number.POSITIVE_INFINITY;
  return {
    median: quantile(sorted, 0.5),
    low: sorted[l - 1] ?? min,
    high: sorted[n - l] ?? max,
    spread,
    rounds: n,
    unstable: spread > k_unstable_round_spread,
  };
}

export type RatioVerdict = 'faster' | 'slower' | 'indistinguishable';

export interface PairedRatio {
  /** Geometric mean over rounds of median(a) / median(b): < 1 means a is faster. */
  ratio: number;
  low: number;
  high: number;
  /** Paired rounds (for a bridged ratio: the fewer of its two factors'). */
  rounds: number;
  verdict: RatioVerdict;
  /** Present when a and b shared no round and were compared through the run's bridge cell. */
  bridged?: true;
}

/** One cell × batch size's round medians, with the run's number of each round (absent: rounds 0, 1, 2, … of a one-stage run). */
export interface RoundSeries {
  medians: readonly number[];
  ids?: readonly number[];
}

function verdictOf(low: number, high: number): RatioVerdict {
  return high < 1 ? 'faster' : low > 1 ? 'slower' : 'indistinguishable';
}

/** log(a / b) of every round both have (same index), where both medians are positive. */
function logRatios(a: readonly number[], b: readonly number[]): number[] {
  const logs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i];
    const y = b[i];
    if (x !== undefined && y !== undefined && x > 0 && y > 0) logs.push(Math.log(x / y));
  }
  return logs;
}

function meanAndVariance(logs: readonly number[]): { mean: number; variance: number; n: number } {
  const n = logs.length;
  const mean = logs.reduce((s, v) => s + v, 0) / n;
  const variance = n < 2 ? Number.NaN : logs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { mean, variance, n };
}

/**
 * a versus b from their per-round medians (same rounds, same order). Rounds
 * where either is missing are dropped; with fewer than 2 paired rounds the
 * interval is unbounded and the pair indistinguishable.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): PairedRatio {
  const logs = logRatios(a, b);
  const n = logs.length;
  if (n === 0) return { ratio: Number.NaN, low: 0, high: Number.POSITIVE_INFINITY, rounds: 0, verdict: 'indistinguishable' };
  const { mean, variance } = meanAndVariance(logs);
  if (n < 2) return { ratio: Math.exp(mean), low: 0, high: Number.POSITIVE_INFINITY, rounds: n, verdict: 'indistinguishable' };
  const half = tCritical975(n - 1) * Math.sqrt(variance / n);
  const low = Math.exp(mean - half);
  const high = Math.exp(mean + half);
  return { ratio: Math.exp(mean), low, high, rounds: n, verdict: verdictOf(low, high) };
}

/** The medians of a and b over the rounds both were sampled in, in a's order. */
function aligned(a: RoundSeries, b: RoundSeries): [number[], number[]] {
  if (a.ids === undefined && b.ids === undefined) return [[...a.medians], [...b.medians]];
  const at = new Map((b.ids ?? b.medians.map((_, i) => i)).map((id, i) => [id, i]));
  const x: number[] = [];
  const y: number[] = [];
  (a.ids ?? a.medians.map((_, i) => i)).forEach((id, i) => {
    const j = at.get(id);
    const m = a.medians[i];
    const n = j === undefined ? undefined : b.medians[j];
    if (m !== undefined && n !== undefined) {
      x.push(m);
      y.push(n);
    }
  });
  return [x, y];
}

/** Whether a and b were sampled in at least one common round. */
export function sharesRounds(a: RoundSeries, b: RoundSeries): boolean {
  return aligned(a, b)[0].length > 0;
}

/** (a/bridge) × (bridge/b), each paired in its own rounds, with a Welch–Satterthwaite t interval on the summed mean logs. */
function bridgedRatio(a: RoundSeries, b: RoundSeries, bridge: RoundSeries): PairedRatio {
  const first = logRatios(...aligned(a, bridge));
  const second = logRatios(...aligned(bridge, b));
  const rounds = Math.min(first.length, second.length);
  if (rounds === 0) return { ratio: Number.NaN, low: 0, high: Number.POSITIVE_INFINITY, rounds: 0, verdict: 'indistinguishable', bridged: true };
  const p = meanAndVariance(first);
  const q = meanAndVariance(second);
  const ratio = Math.exp(p.mean + q.mean);
  if (rounds < 2) return { ratio, low: 0, high: Number.POSITIVE_INFINITY, rounds, verdict: 'indistinguishable', bridged: true };
  const u = p.variance / p.n;
  const v = q.variance / q.n;
  // Welch–Satterthwaite, rounded down (conservative); two exact factors leave the pooled count.
  const df = u + v > 0 ? Math.max(1, Math.floor((u + v) ** 2 / (u ** 2 / (p.n - 1) + v ** 2 / (q.n - 1)))) : p.n + q.n - 2;
  const half = tCritical975(df) * Math.sqrt(u + v);
  const low = Math.exp(p.mean + q.mean - half);
  const high = Math.exp(p.mean + q.mean + half);
  return { ratio, low, high, rounds, verdict: verdictOf(low, high), bridged: true };
}

/**
 * a versus b, paired over the rounds they shared; when they shared none and
 * the run has a bridge (a series sampled in every round), through the bridge.
 */
export function seriesRatio(a: RoundSeries, b: RoundSeries, bridge?: RoundSeries): PairedRatio {
  const [x, y] = aligned(a, b);
  if (x.length > 0 || bridge === undefined) return pairedRatio(x, y);
  return bridgedRatio(a, b, bridge);
}

/**
 * The key that orders cells for comparison: the mean log of the round medians
 * (the geometric mean's log), the statistic the paired ratios are built on, so
 * a cell shown closer to the fastest is never put below one shown further (the
 * median of medians can order them the other way when rounds swing). In a
 * staged run, the mean log ratio to the bridge over the cell's own rounds: a
 * later stage's host state never moves a cell up or down.
 */
export function comparisonOrder(series: RoundSeries, bridge?: RoundSeries): number {
  if (bridge !== undefined && series.ids !== undefined) {
    const logs = logRatios(...aligned(series, bridge));
    if (logs.length > 0) return logs.reduce((s, x) => s + x, 0) / logs.length;
  }
  return series.medians.reduce((s, x) => s + Math.log(Math.max(x, 1e-12)), 0) / series.medians.length;
}

export interface RankedEntry<K> {
  key: K;
  /** 1 for the fastest group; cells that cannot be told apart from the one above share its rank. */
  rank: number;
  /** Ratio to the fastest entry, with interval. */
  vsFastest: PairedRatio | null;
}

/**
 * Orders entries by geometric mean and gives ranks that respect the evidence: an
 * entry gets a new rank only when it is distinguishably slower than the
 * first entry of the current rank group (otherwise it ties with that group).
 * `bridge`: a staged run's bridge at this batch size (see seriesRatio).
 */
export function rankByRatios<K>(entries: readonly ({ key: K } & RoundSeries)[], bridge?: RoundSeries): RankedEntry<K>[] {
  const ordered = [...entries].filter((e) => e.medians.length > 0).sort((x, y) => comparisonOrder(x, bridge) - comparisonOrder(y, bridge));
  const fastest = ordered[0];
  if (!fastest) return [];
  const out: RankedEntry<K>[] = [];
  let rank = 1;
  let leader = fastest;
  for (const [i, entry] of ordered.entries()) {
    if (i > 0 && seriesRatio(entry, leader, bridge).verdict === 'slower') {
      rank = i + 1;
      leader = entry;
    }
    out.push({ key: entry.key, rank, vsFastest: i === 0 ? null : seriesRatio(entry, fastest, bridge) });
  }
  return out;
}
