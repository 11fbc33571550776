import { cellName } from '../../lab/results/cell-name';
import type { PairedRatio } from '../../lab/bench/ratios';
import type { BatchComparison, BatchMeasurement, CellResult } from '../../lab/results/results';
import type { CompletedCell } from '../../lab/results/figures';
import { toleranceLabel } from '../../lab/runner/tolerance';

/** One row per cell and batch size: what the table and charts show. */
export interface SummaryRow {
  cellId: string;
  label: string;
  state: CellResult['state'];
  cell: CellResult;
  batch?: BatchMeasurement;
  batchSize?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  throughput?: number;
  /** Rank among the cells at this batch size; cells that cannot be told apart share one. */
  rank?: number;
  tied?: boolean;
  vsFastest?: PairedRatio | null;
  /** "custom tolerance X (manifest Y)" when a plan loosened the gate for this cell. */
  toleranceLabel?: string;
  message?: string;
}

/** "ORT wasm", or "ORT wasm INT8" for a reduced-precision variant. */
export function cellDisplayName(cell: CellResult): string {
  return cellName(cell);
}

function rankOf(comparisons: readonly BatchComparison[], cellId: string, batchSize: number) {
  const ranking = comparisons.find((c) => c.batchSize === batchSize)?.ranking ?? [];
  const entry = ranking.find((r) => r.key === cellId);
  if (!entry) return {};
  const tied = ranking.filter((r) => r.rank === entry.rank).length > 1;
  return { rank: entry.rank, tied, vsFastest: entry.vsFastest };
}

export function summarize(cells: readonly CellResult[], comparisons: readonly BatchComparison[] = []): SummaryRow[] {
  return cells.flatMap((cell): SummaryRow[] => {
    const label = cellDisplayName(cell);
    const base = { cellId: cell.cellId, label, state: cell.state, cell };
    switch (cell.state) {
      case 'completed': {
        const tolerance = toleranceLabel(cell.tolerance);
        return cell.batches.map((b) => ({
          ...base,
          batch: b,
          batchSize: b.batchSize,
          p50: b.stats.p50,
          p95: b.stats.p95,
          p99: b.stats.p99,
          throughput: b.throughputPerSec,
          ...rankOf(comparisons, cell.cellId, b.batchSize),
          ...(tolerance ? { toleranceLabel: tolerance } : {}),
        }));
      }
      case 'unavailable':
      case 'aborted':
        return [{ ...base, message: cell.reason }];
      case 'errored':
        return [{ ...base, message: cell.error.message }];
    }
  });
}

export function isCompleted(cell: CellResult): cell is CompletedCell {
  return cell.state === 'completed';
}
