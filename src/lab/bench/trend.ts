/**
 * Does latency drift while a cell runs for minutes (thermal throttling, a
 * battery governor, memory growth)? An ordinary least-squares line through the
 * per-round medians against time, with a Student-t interval on the slope
 * (df = n − 2). "Drifting" only when the interval excludes 0.
 */
import { tCritical975 } from './statistics';

export interface Trend {
  /** Rounds in the fit. */
  n: number;
  /** Change in median latency per minute, ms. */
  slopeMsPerMin: number;
  low: number;
  high: number;
  /** The slope as a share of the mean latency, per minute (0.05 = 5% slower each minute). */
  relativePerMin: number;
  verdict: 'slower-over-time' | 'faster-over-time' | 'no-drift';
}

/** @throws RangeError when times and medians differ in length. */
export function latencyTrend(timesMs: readonly number[], mediansMs: readonly number[]): Trend | null {
  if (timesMs.length !== mediansMs.length) throw new RangeError(`latencyTrend: ${timesMs.length} times but ${mediansMs.length} medians`);
  const n = timesMs.length;
  if (n < 3) return null;
  const minutes = timesMs.map((t) => t / 60_000);
  const mx = minutes.reduce((s, x) => s + x, 0) / n;
  const my = mediansMs.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (minutes[i] ?? 0) - mx;
    sxx += dx * dx;
    sxy += dx * ((mediansMs[i] ?? 0) - my);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i += 1) {
    const fit = my + slope * ((minutes[i] ?? 0) - mx);
    sse += ((mediansMs[i] ?? 0) - fit) ** 2;
  }
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const half = tCritical975(n - 2) * se;
  const low = slope - half;
  const high = slope + half;
  return {
    n,
    slopeMsPerMin: slope,
    low,
    high,
    relativePerMin: my > 0 ? slope / my : 0,
    verdict: low > 0 ? 'slower-over-time' : high < 0 ? 'faster-over-time' : 'no-drift',
  };
}
