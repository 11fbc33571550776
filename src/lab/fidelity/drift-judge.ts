/**
 * The one rule that turns drift measurements into verdicts, per slice: the
 * UI's drift flags and the CLI's per-slice budget both call it. A slice too
 * small to judge (fewer rows than the report's minimum slice size, or fewer
 * explained rows than k_min_explained_per_slice) is reported, named with its
 * size, and never judged: one flip in 20 rows is already 5%.
 */
import type { FidelityReport } from './types';

/** Explained rows a slice needs before its attribution drift is judged. */
export const k_min_explained_per_slice = 5;

export type DriftMetric = 'flip-rate' | 'attribution-rank-correlation';

export interface DriftLimits {
  maxFlipRate?: number | undefined;
  minAttributionRankCorrelation?: number | undefined;
}

export interface SliceVerdict {
  metric: DriftMetric;
  slice: string;
  /** Rows in the slice (explained rows for attribution drift). */
  n: number;
  value: number;
  limit: number;
  /** 'pass' or 'fail' when judged; 'too-small' when the slice is under the minimum size. */
  status: 'pass' | 'fail' | 'too-small';
  /** Minimum size that applied. */
  minSize: number;
  message: string;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function judgeDrift(report: FidelityReport, limits: DriftLimits): SliceVerdict[] {
  const out: SliceVerdict[] = [];
  const { maxFlipRate, minAttributionRankCorrelation } = limits;
  if (maxFlipRate !== undefined) {
    const slices = [report.overall, ...report.groupings.flatMap((g) => g.slices)];
    for (const s of slices) {
      if (s.flipRate === null) continue;
      const minSize = s.slice === report.overall.slice ? 1 : report.minSliceSize;
      const judged = s.n >= minSize;
      const ok = s.flipRate <= maxFlipRate;
      out.push({
        metric: 'flip-rate',
        slice: s.slice,
        n: s.n,
        value: s.flipRate,
        limit: maxFlipRate,
        minSize,
        status: !judged ? 'too-small' : ok ? 'pass' : 'fail',
        message: judged
          ? `flip rate in slice "${s.slice}" (${s.n} rows) ${pct(s.flipRate)} ${ok ? '≤' : '>'} limit ${pct(maxFlipRate)}`
          : `flip rate in slice "${s.slice}" ${pct(s.flipRate)} not judged: ${s.n} rows, fewer than the ${minSize} a slice needs`,
      });
    }
  }
  if (minAttributionRankCorrelation !== undefined && report.attributionDrift) {
    const drift = report.attributionDrift;
    for (const s of [drift.overall, ...drift.slices]) {
      const minSize = s.slice === drift.overall.slice ? 1 : k_min_explained_per_slice;
      const judged = s.n >= minSize;
      const ok = s.meanSpearman >= minAttributionRankCorrelation;
      const value = s.meanSpearman.toFixed(3);
      out.push({
        metric: 'attribution-rank-correlation',
        slice: s.slice,
        n: s.n,
        value: s.meanSpearman,
        limit: minAttributionRankCorrelation,
        minSize,
        status: !judged ? 'too-small' : ok ? 'pass' : 'fail',
        message: judged
          ? `attribution rank correlation in slice "${s.slice}" (${s.n} explained rows) ${value} ${ok ? '≥' : '<'} limit ${minAttributionRankCorrelation}`
          : `attribution rank correlation in slice "${s.slice}" ${value} not judged: ${s.n} explained rows, fewer than ${minSize}`,
      });
    }
  }
  return out;
}
