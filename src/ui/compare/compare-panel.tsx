import { lazy, Suspense, useMemo } from 'react';
import { admitRuns, compareRuns } from '../../lab/results/compare-runs';
import { errorMessage } from '../../lab/util/errors';
import { useCompareStore } from '../../store/compare-store';
import { useRunStore } from '../../store/run-store';
import { CompareTable } from './compare-table';

// The chart (recharts) loads only once there is something to compare: the first page load stays light.
const CompareChart = lazy(() => import('./compare-chart').then((m) => ({ default: m.CompareChart })));

/** Reads the chosen files as JSON; one that is not JSON is refused by name. */
async function readFiles(files: readonly File[]): Promise<{ read: { name: string; json: unknown }[]; unreadable: string[] }> {
  const read: { name: string; json: unknown }[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    try {
      read.push({ name: file.name, json: JSON.parse(await file.text()) as unknown });
    } catch (error) {
      unreadable.push(`${file.name}: not a JSON file (${errorMessage(error)})`);
    }
  }
  return { read, unreadable };
}

/** This run beside results files from other devices and browsers (or past runs): matched cells, ratios with intervals. */
export function ComparePanel() {
  const results = useRunStore((s) => s.results);
  const runs = useCompareStore((s) => s.runs);
  const refused = useCompareStore((s) => s.refused);
  const add = useCompareStore((s) => s.add);
  const remove = useCompareStore((s) => s.remove);
  const docs = useMemo(() => [...(results ? [results] : []), ...runs.map((r) => r.doc)], [results, runs]);
  const comparison = useMemo(() => (docs.length > 1 ? compareRuns(docs) : null), [docs]);

  const open = async (files: FileList | null) => {
    const { read, unreadable } = await readFiles(Array.from(files ?? []));
    const reference = results ?? runs[0]?.doc ?? null;
    const { admitted, refused: rejected } = admitRuns(reference, read);
    add(
      admitted.map((a) => ({ id: `file:${a.name}:${a.doc.createdAt}`, label: a.name, source: 'file', doc: a.doc })),
      [...unreadable, ...rejected.map((r) => `${r.name}: ${r.reason}`)],
    );
  };

  return (
    <section className="panel" aria-labelledby="compare-heading" data-testid="compare-panel">
      <h2 id="compare-heading">Compare devices and browsers</h2>
      <p className="explain">
        Open results files downloaded on other devices or browsers (or written by the CLI) to set them beside {results ? 'this run' : 'each other'}.
        Files of another model, or another version of it, are refused. Nothing leaves this page.
      </p>
      <label>
        Open results files{' '}
        <input type="file" multiple accept=".json,application/json" onChange={(e) => void open(e.target.files)} data-testid="compare-files" />
      </label>
      {refused.length > 0 && (
        <ul role="alert" className="error" data-testid="compare-refused">
          {refused.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {runs.length > 0 && (
        <ul data-testid="compare-runs">
          {runs.map((r) => (
            <li key={r.id}>
              {r.label} <span className="explain">({r.source === 'file' ? 'file' : r.source === 'history' ? 'from the history' : 'first session of a resumed run'})</span>{' '}
              <button onClick={() => remove(r.id)}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      {comparison && (
        <>
          <div className="table-scroll">
            <CompareTable comparison={comparison} />
          </div>
          <Suspense fallback={<p aria-busy="true">Loading the chart…</p>}>
            <CompareChart comparison={comparison} />
          </Suspense>
        </>
      )}
    </section>
  );
}
