/**
 * One cell of a run in a sentence, for the presentation mode's steps and the
 * printed report: what ran, whether its answers were checked, how fast at
 * each batch size and where it ranks. The same rules as the table: a cell
 * without a checked answer has no timings.
 */
import { formatMs } from '../util/format';
import { cellName } from './cell-name';
import { formatRatio, formatRows } from './findings';
import type { CellResult, ResultsDocument } from './results';
import { isSoftwareGpuCell, SOFTWARE_GPU_MARK } from './software-gpu';
import { k_bridged_words } from './time-ratio';

export function cellSentence(cell: CellResult, results: Pick<ResultsDocument, 'comparisons' | 'device'>): string {
  const name = `${cellName(cell)}${isSoftwareGpuCell(cell, results.device) ? ` (${SOFTWARE_GPU_MARK})` : ''}`;
  switch (cell.state) {
    case 'unavailable':
      return `${name}: unavailable on this device — ${cell.reason}`;
    case 'aborted':
      return `${name}: not run — ${cell.reason}`;
    case 'errored':
      return cell.error.kind === 'wrong-results'
        ? `${name}: answered wrongly, so it shows no timings — ${cell.error.message}`
        : `${name}: failed — ${cell.error.message}`;
    case 'completed': {
      const how = cell.precisionInfo ? ` Stores ${cell.precisionInfo.storage.toUpperCase()}, computes ${cell.precisionInfo.compute.toUpperCase()}.` : '';
      const batches = cell.batches.map((b) => {
        const entry = results.comparisons.find((c) => c.batchSize === b.batchSize)?.ranking.find((r) => r.key === cell.cellId);
        const rank = !entry
          ? ''
          : entry.vsFastest === null
            ? ', the fastest'
            : entry.vsFastest.verdict === 'indistinguishable'
              ? ', indistinguishable from the fastest'
              : `, ${formatRatio(entry.vsFastest.ratio)} the fastest's time${entry.vsFastest.bridged ? ` (${k_bridged_words})` : ''}`;
        return `batch ${b.batchSize}: median ${formatMs(b.acrossRounds.median)} (${formatRows(b.throughputPerSec)}${rank})`;
      });
      return `${name}: answers checked against the reference.${how} ${batches.join('; ')}.`;
    }
  }
}
