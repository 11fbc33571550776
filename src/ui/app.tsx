import { lazy, Suspense } from 'react';
import { describeEngineVersions } from '../lab/device/device-report';
import { DeviceReportPanel } from './device/device-report-panel';
import { ComparePanel } from './compare/compare-panel';
import { HistoryPanel } from './history/history-panel';
import { InterruptedBanner } from './history/interrupted-banner';
import { RecommendationPanel } from './recommendation/recommendation-panel';
import { RunPanel } from './run/run-panel';
import { RunControls } from './run/run-controls';
import { PresentToggle } from './present/present-toggle';
import { GlossaryPanel } from './glossary/glossary-panel';
import { UpdateBanner } from './update-banner';
import { HostingNote } from './hosting-note';
import { useRunStore } from '../store/run-store';
import { YourModelPanel } from './model/your-model-panel';

// Charts (recharts) are only needed once results exist: keep them out of the first load.
const ResultsPanel = lazy(() => import('./results/results-panel').then((m) => ({ default: m.ResultsPanel })));

export function App() {
  const hasCells = useRunStore((s) => s.results !== null || s.partial.length > 0);
  return (
    <div className="app">
      <header className="app-header">
        <div className="title-row">
          <h1>Inference Lab</h1>
          <PresentToggle />
        </div>
        <p className="tagline">
          One model, every in-browser engine your device offers: how fast, and how faithful. Everything runs in this tab; no data
          leaves your browser.
        </p>
        <UpdateBanner />
      </header>
      <main>
        <YourModelPanel />
        <RunPanel />
        {/* Outside the plan's panel so that it can stay at the top of the window while the results scroll under it. */}
        <RunControls />
        <InterruptedBanner />
        {/* Fetched once there is something to show: a first visit that never runs never downloads the charts. */}
        {hasCells && (
          <Suspense fallback={<p aria-busy="true">Loading charts…</p>}>
            <ResultsPanel />
          </Suspense>
        )}
        <ComparePanel />
        <RecommendationPanel />
        <HistoryPanel />
        <GlossaryPanel />
        <DeviceReportPanel />
      </main>
      <footer className="app-footer">
        Inference Lab {__APP_VERSION__} · {describeEngineVersions(__RUNTIME_VERSIONS__)}
        <HostingNote />
      </footer>
    </div>
  );
}
