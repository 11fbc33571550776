/** File names and JSON text of exported results: one naming rule for every download. */
import type { ResultsDocument } from '../results/results';

/** The versioned document, indented: `parseResultsDocument(JSON.parse(text))` gives it back identical. */
export function resultsJson(doc: ResultsDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** "inference-lab-cps-wage-2026-12-02T05-57-32-209Z.json"; `what` names a part ("latency-b1") for charts. */
export function exportFileName(doc: Pick<ResultsDocument, 'model' | 'createdAt'> | null, extension: string, what?: string): string {
  const stamp = (doc?.createdAt ?? new Date().toISOString()).replace(/[:.]/g, '-');
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return ['inference-lab', doc ? safe(doc.model.id) : null, what ? safe(what) : null, stamp].filter(Boolean).join('-') + `.${extension}`;
}
