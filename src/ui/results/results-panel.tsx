import { useRunStore } from '../../store/run-store';
import { LatencyChart } from './latency-chart';
import { ResultsTable } from './results-table';
import { ThroughputChart } from './throughput-chart';

export function ResultsPanel() {
  const results = useRunStore((s) => s.results);
  const partial = useRunStore((s) => s.partial);
  const cells = results?.cells ?? partial;
  if (cells.length === 0) return null;
  const batchSizes = results?.plan.batchSizes ?? [];

  const download = () => {
    if (!results) return;
    const blob = new Blob([JSON.stringify(results, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `inference-lab-${results.model.id}-${results.createdAt.replace(/[:.]/g, '-')}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  return (
    <section className="panel" aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      <p className="explain">
        Timings appear only for cells whose outputs matched the reference answers (max |Δ| within the tolerance). P50 is the
        typical latency, P95/P99 the slow tail a user sometimes feels. “Start” includes downloading and compiling the engine.
      </p>
      <div className="table-scroll">
        <ResultsTable cells={cells} />
      </div>
      {batchSizes.map((b) => (
        <LatencyChart key={b} cells={cells} batchSize={b} />
      ))}
      <ThroughputChart cells={cells} />
      {results && (
        <p>
          <button onClick={download} data-testid="download-json">
            Download results (JSON)
          </button>{' '}
          <span className="explain">
            Run took {(results.wallMs / 1000).toFixed(1)} s · {results.status}
          </span>
        </p>
      )}
    </section>
  );
}
