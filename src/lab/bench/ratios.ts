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
  rounds: number;
  verdict: RatioVerdict;
}

/**
 * a versus b from their per-round medians (same rounds, same order). Rounds
 * where either is missing are dropped; with fewer than 2 paired rounds the
 * interval is unbounded and the pair indistinguishable.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): PairedRatio {
  const logs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i];
    const y = b[i];
    if (x !== undefined && y !== undefined && x > 0 && y > 0) logs.push(Math.log(x / y));
  }
  const n = logs.length;
  if (n === 0) return { ratio: Number.NaN, low: 0, high: Number.POSITIVE_INFINITY, rounds: 0, verdict: 'indistinguishable' };
  const mean = logs.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { ratio: Math.exp(mean), low: 0, high: Number.POSITIVE_INFINITY, rounds: n, verdict: 'indistinguishable' };
  const sd = Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = tCritical975(n - 1) * (sd / Math.sqrt(n));
  const low = Math.exp(mean - half);
  const high = Math.exp(mean + half);
  const verdict: RatioVerdict = high < 1 ? 'faster' : low > 1 ? 'slower' : 'indistinguishable';
  return { ratio: Math.exp(mean), low, high, rounds: n, verdict };
}

/**
 * The key that orders cells for comparison: the mean log of the round medians
 * (the geometric mean's log), the statistic the paired ratios are built on, so
 * a cell shown closer to the fastest is never put below one shown further (the
 * median of medians can order them the other way when rounds swing).
 */
export function comparisonOrder(medians: readonly number[]): number {
  return medians.reduce((s, x) => s + Math.log(Math.max(x, 1e-12)), 0) / medians.length;
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
 */
export function rankByRatios<K>(entries: readonly { key: K; medians: readonly number[] }[]): RankedEntry<K>[] {
  const ordered = [...entries].filter((e) => e.medians.length > 0).sort((x, y) => comparisonOrder(x.medians) - comparisonOrder(y.medians));
  const fastest = ordered[0];
  if (!fastest) return [];
  const out: RankedEntry<K>[] = [];
  let rank = 1;
  let leader = fastest;
  for (const [i, entry] of ordered.entries()) {
    if (i > 0 && pairedRatio(entry.medians, leader.medians).verdict === 'slower') {
      rank = i + 1;
      leader = entry;
    }
    out.push({ key: entry.key, rank, vsFastest: i === 0 ? null : pairedRatio(entry.medians, fastest.medians) });
  }
  return out;
}
