import { useMemo } from 'react';
import { ScrollRegion } from '../scroll-region';
import { hardwareOf } from '../../lab/engines/hardware';
import { flopShares, type FlopCount } from '../../lab/models/onnx-flops';
import { recommend } from '../../lab/results/recommendation';
import type { CellResult, ResultsDocument } from '../../lab/results/results';
import { useCompareStore } from '../../store/compare-store';
import { useRecommendationStore } from '../../store/recommendation-store';
import { usePageRecommendation } from '../recommendation/use-page-recommendation';
import { ResultsExport } from '../export/results-export';
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
import { FindingsBlock } from './findings-block';
import { SYMBOL_NOTES } from '../../lab/glossary';
import { SOFTWARE_GPU_MARK } from '../../lab/results/software-gpu';
import { PresentationStage } from '../present/presentation-stage';
import { CourseMapping } from '../plan/course-mapping';
import { usePresentStore } from '../../store/present-store';
import { ReferenceNote } from '../model/reference-note';
import { stagingNote } from '../../lab/runner/run-stages';

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
  const needs = useRecommendationStore((s) => s.needs);
  const ceilings = useDeviceStore((s) => s.ceilings);
  const probed = useDeviceStore((s) => s.report);
  const presenting = usePresentStore((s) => s.presenting);
  const comparedRuns = useCompareStore((s) => s.runs);
  const compared = comparedRuns.map((r) => r.doc);
  // The page's one answer (the Recommendation panel shows the same), as the first finding.
  const page = usePageRecommendation();
  const recommendation = useMemo(() => {
    const r = page.recommendation;
    if (!results || !r) return null;
    const over = page.docs.length > 1 ? `Over the ${page.docs.length} runs shown: ` : '';
    return { text: `${over}${r.headline}`, cellIds: r.best ? [r.best.cellId, ...r.ties.map((t) => t.cellId)] : [] };
  }, [results, page]);
  if (cells.length === 0) return null;
  const batchSizes = results?.plan.batchSizes ?? [];
  // The device the cells ran on: a results file's own, or this page's while a run goes on.
  const device = results?.device ?? probed;
  const priceOf = (cell: CellResult) => needs.pricePerHour[device ? hardwareOf(cell.descriptor.backend, device).kind : 'cpu'];

  // The ceilings measured in this page travel with the results, so a roofline can be drawn from the file;
  // so does the recommendation under the needs stated here (weighed when the file is saved).
  const prepare = (r: ResultsDocument): ResultsDocument => ({ ...r, ...(ceilings ? { ceilings } : {}), recommendation: recommend([r], needs) });

  return (
    <>
    <section className="panel" aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      {results && presenting && <PresentationStage results={results} priceOf={priceOf} recommendation={recommendation} />}
      {results && <FindingsBlock results={results} priceOf={priceOf} recommendation={recommendation} />}
      {results && <ReferenceNote model={results.model} />}
      {results?.plan.name === 'capstone' && (
        <>
          <CourseMapping device={results.device} />
          <p>
            <button type="button" onClick={() => window.print()} data-testid="print-report">
              Print the capstone report
            </button>
          </p>
        </>
      )}
      <p className="explain">
        Timings appear only for cells whose outputs matched the reference answers (max |Δ| within the tolerance). P50 is the
        typical latency, P95/P99 the slow tail a user sometimes feels. “Start” includes downloading and compiling the engine.
      </p>
      <p className="explain">
        “Cost / 1M” is the price per hour of the row's hardware (set under Recommendation: CPU ${needs.pricePerHour.cpu}, GPU ${needs.pricePerHour.gpu}) times the
        time to serve a million rows back to back at the measured median throughput.
      </p>
      {results && (
        <p className={results.timing.verdict === 'unstable' ? 'warning' : 'explain'} data-testid="timing-verdict">
          {results.timing.note} {results.timing.staged && `${stagingNote(results.timing.staged)} `}
          {results.timing.span}
        </p>
      )}
      <ScrollRegion label="Results table, one row per cell and batch size">
        <ResultsTable cells={cells} comparisons={results?.comparisons ?? []} priceOf={priceOf} device={device} />
      </ScrollRegion>
      <p className="legend-text" data-testid="results-legend">
        {SYMBOL_NOTES.noisy} <span className="software-gpu-mark">{SOFTWARE_GPU_MARK}</span>: {SYMBOL_NOTES.softwareGpu} More in the <a href="#glossary">glossary</a>.
      </p>
      <SupportTable cells={cells} />
      {batchSizes.map((b) => (
        <LatencyChart key={b} cells={cells} batchSize={b} device={device} />
      ))}
      <RooflineChart cells={results?.cells ?? []} />
      {results?.model.flops && <FlopsNote flops={results.model.flops} />}
      <SettingsTable cells={cells} />
      <MicroBatchChart cells={cells} device={device} />
      {results && <KernelProfiles results={results} />}
      {results && (
        <p>
          <ResultsExport results={results} others={compared} prepare={prepare} />{' '}
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
