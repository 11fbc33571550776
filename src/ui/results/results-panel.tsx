import { useState } from 'react';
import { flopShares, type FlopCount } from '../../lab/models/onnx-flops';
import { useDeviceStore } from '../../store/device-store';
import { useRunStore } from '../../store/run-store';
import { FidelityPanel } from '../fidelity/fidelity-panel';
import { LatencyChart } from './latency-chart';
import { ResultsTable } from './results-table';
import { SupportTable } from './support-table';
import { MicroBatchChart } from './micro-batch-chart';
import { RooflineChart } from './roofline-chart';
import { SettingsTable } from './settings-table';
import { KernelProfiles } from './kernel-profiles';
import { ReferenceNote } from '../model/reference-note';

/** The model's FLOP count with its per-operator breakdown and rules: the model card's "work per row". */
function FlopsNote({ flops }: { flops: FlopCount }) {
  if (flops.state === 'uncounted') return <p className="explain" data-testid="model-flops">FLOPs per row: n/a ({flops.reason}), so no GFLOP/s figure.</p>;
  return (
    <details className="explain" data-testid="model-flops">
      <summary>
        Work per row: {(flops.flopsPerRow / 1e6).toPrecision(4)} MFLOP ({flopShares(flops)})
      </summary>
      <p>{flops.rules}</p>
    </details>
  );
}

export function ResultsPanel() {
  const results = useRunStore((s) => s.results);
  const partial = useRunStore((s) => s.partial);
  const cells = results?.cells ?? partial;
  const [pricePerHour, setPricePerHour] = useState(0.5);
  const ceilings = useDeviceStore((s) => s.ceilings);
  if (cells.length === 0) return null;
  const batchSizes = results?.plan.batchSizes ?? [];

  const download = () => {
    if (!results) return;
    // The ceilings measured in this page travel with the results, so a roofline can be drawn from the file.
    const saved = ceilings ? { ...results, ceilings } : results;
    const blob = new Blob([JSON.stringify(saved, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `inference-lab-${results.model.id}-${results.createdAt.replace(/[:.]/g, '-')}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  return (
    <>
    <section className="panel" aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      {results && <ReferenceNote model={results.model} />}
      <p className="explain">
        Timings appear only for cells whose outputs matched the reference answers (max |Δ| within the tolerance). P50 is the
        typical latency, P95/P99 the slow tail a user sometimes feels. “Start” includes downloading and compiling the engine.
      </p>
      <label className="explain">
        Device price per hour ($){' '}
        <input
          type="number"
          min={0}
          step={0.01}
          value={pricePerHour}
          onChange={(e) => setPricePerHour(Math.max(0, Number(e.target.value)))}
          aria-label="Device price per hour in dollars"
          style={{ width: '6rem' }}
        />{' '}
        — “Cost / 1M” is this price times the time to serve a million rows back to back at the measured median throughput.
      </label>
      {results && (
        <p className={results.timing.verdict === 'unstable' ? 'warning' : 'explain'} data-testid="timing-verdict">
          {results.timing.note} {results.timing.span}
        </p>
      )}
      <div className="table-scroll">
        <ResultsTable cells={cells} comparisons={results?.comparisons ?? []} pricePerHour={pricePerHour} />
      </div>
      <SupportTable cells={cells} />
      {batchSizes.map((b) => (
        <LatencyChart key={b} cells={cells} batchSize={b} />
      ))}
      <RooflineChart cells={results?.cells ?? []} />
      {results?.model.flops && <FlopsNote flops={results.model.flops} />}
      <SettingsTable cells={cells} />
      <MicroBatchChart cells={cells} />
      {results && <KernelProfiles results={results} />}
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
    <FidelityPanel cells={cells} />
    </>
  );
}
