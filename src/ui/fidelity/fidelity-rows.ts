import type { SliceMetrics } from '../../lab/fidelity/types';
import type { CellResult, FidelityOutcome } from '../../lab/results/results';
import { cellDisplayName } from '../results/cell-summary';

export type MeasuredCell = CellResult & { state: 'completed'; fidelity: Extract<FidelityOutcome, { state: 'measured' }> };

export function measuredCells(cells: readonly CellResult[]): MeasuredCell[] {
  return cells.filter((c): c is MeasuredCell => c.state === 'completed' && c.fidelity?.state === 'measured');
}

export function cellLabel(c: CellResult): string {
  return cellDisplayName(c);
}

/** Explained rows a slice needs before its attribution drift can raise a flag. */
const k_min_explained_per_slice = 5;

/** Drift thresholds the user sets; a cell past either is flagged. */
export interface DriftThresholds {
  maxFlipRate: number;
  minRankCorrelation: number;
}

export interface DriftFlag {
  flagged: boolean;
  reasons: string[];
}

export function driftFlag(cell: MeasuredCell, t: DriftThresholds): DriftFlag {
  const reasons: string[] = [];
  const { report } = cell.fidelity;
  // Slices under the report's minimum size are too small to flag on (one flip in 20 rows is 5%).
  const sizable = report.groupings.flatMap((g) => g.slices).filter((s) => s.n >= report.minSliceSize);
  const worstFlip = Math.max(report.overall.flipRate ?? 0, ...sizable.map((s) => s.flipRate ?? 0));
  if (worstFlip > t.maxFlipRate) reasons.push(`flip rate ${(worstFlip * 100).toFixed(2)}% > ${(t.maxFlipRate * 100).toFixed(2)}% in some slice`);
  const drift = report.attributionDrift;
  if (drift) {
    const worstRho = Math.min(drift.overall.meanSpearman, ...drift.slices.filter((s) => s.n >= k_min_explained_per_slice).map((s) => s.meanSpearman));
    if (worstRho < t.minRankCorrelation) reasons.push(`attribution rank correlation ${worstRho.toFixed(3)} < ${t.minRankCorrelation}`);
  }
  return { flagged: reasons.length > 0, reasons };
}

/** The slices of one grouping for every measured cell, aligned by slice name. */
export function sliceMatrix(cells: readonly MeasuredCell[], columns: string): { slices: string[]; byCell: Map<string, Map<string, SliceMetrics>> } {
  const byCell = new Map<string, Map<string, SliceMetrics>>();
  const slices: string[] = [];
  for (const c of cells) {
    const grouping = c.fidelity.report.groupings.find((g) => g.columns.join(' × ') === columns);
    const map = new Map<string, SliceMetrics>();
    for (const s of grouping?.slices ?? []) {
      map.set(s.slice, s);
      if (!slices.includes(s.slice)) slices.push(s.slice);
    }
    byCell.set(c.cellId, map);
  }
  return { slices, byCell };
}

export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;
}
