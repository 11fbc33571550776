import { PRECISION_LABELS } from '../../lab/engines/precision';
import type { CellResult } from '../../lab/results/results';
import { toleranceLabel } from '../../lab/runner/tolerance';

/** One row per cell and batch size: what the table and charts show. */
export interface SummaryRow {
  cellId: string;
  label: string;
  state: CellResult['state'];
  batchSize?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  ciLow?: number;
  ciHigh?: number;
  throughput?: number;
  samples?: number;
  noisy?: boolean;
  maxAbsDiff?: number;
  /** "custom tolerance X (manifest Y)" when a plan loosened the gate for this cell. */
  toleranceLabel?: string;
  message?: string;
}

/** "ORT wasm", or "ORT wasm INT8" for a reduced-precision variant. */
export function cellDisplayName(cell: CellResult): string {
  return cell.precision === 'fp32' ? cell.descriptor.label : `${cell.descriptor.label} ${PRECISION_LABELS[cell.precision]}`;
}

export function summarize(cells: readonly CellResult[]): SummaryRow[] {
  return cells.flatMap((cell): SummaryRow[] => {
    const label = cellDisplayName(cell);
    const base = { cellId: cell.cellId, label, state: cell.state };
    switch (cell.state) {
      case 'completed': {
        const tolerance = toleranceLabel(cell.tolerance);
        return cell.batches.map((b) => ({
          ...base,
          batchSize: b.batchSize,
          p50: b.stats.p50,
          p95: b.stats.p95,
          p99: b.stats.p99,
          ciLow: b.stats.medianCi95.low,
          ciHigh: b.stats.medianCi95.high,
          throughput: b.throughputPerSec,
          samples: b.stats.n,
          noisy: b.stats.noisy,
          maxAbsDiff: Math.max(...cell.agreement.filter((a) => a.batchSize === b.batchSize).map((a) => a.maxAbsDiff)),
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
