import type { DriftLimits } from '../../lab/fidelity/drift-judge';
import { judgeDrift } from '../../lab/fidelity/drift-judge';
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

export interface DriftFlag {
  flagged: boolean;
  reasons: string[];
}

/** The core's drift rule (the same one the CLI budget and the recommendation apply), as a flag with the failing slices named. */
export function driftFlag(cell: MeasuredCell, limits: DriftLimits): DriftFlag {
  const reasons = judgeDrift(cell.fidelity.report, limits)
    .filter((v) => v.status === 'fail')
    .map((v) => v.message);
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
