import { resultsCsv } from '../../lab/export/results-csv';
import { exportFileName, resultsJson } from '../../lab/export/results-files';
import type { ResultsDocument } from '../../lab/results/results';
import { downloadBlob } from '../download';

/** The run as its versioned JSON document, and every shown run as one tidy CSV (columns: lab/export/results-csv.ts). */
export function ResultsExport({ results, others, prepare = (r) => r }: { results: ResultsDocument; others: readonly ResultsDocument[]; /** What the saved document adds to the run (ceilings, recommendation), weighed at the click. */ prepare?: (r: ResultsDocument) => ResultsDocument }) {
  const runs = [results, ...others];
  return (
    <>
      <button onClick={() => downloadBlob(new Blob([resultsJson(prepare(results))], { type: 'application/json' }), exportFileName(results, 'json'))} data-testid="download-json">
        Download results (JSON)
      </button>{' '}
      <button
        onClick={() => downloadBlob(new Blob([resultsCsv(runs)], { type: 'text/csv' }), exportFileName(results, 'csv'))}
        data-testid="download-csv"
        title="One row per run × cell × batch size × metric (and per slice for fidelity figures)"
      >
        Download CSV{others.length > 0 ? ` (${runs.length} runs)` : ''}
      </button>
    </>
  );
}
