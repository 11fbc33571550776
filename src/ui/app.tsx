import { lazy, Suspense } from 'react';
import { describeEngineVersions } from '../lab/device/device-report';
import { DeviceReportPanel } from './device/device-report-panel';
import { ComparePanel } from './compare/compare-panel';
import { HistoryPanel } from './history/history-panel';
import { InterruptedBanner } from './history/interrupted-banner';
import { RecommendationPanel } from './recommendation/recommendation-panel';
import { RunPanel } from './run/run-panel';
import { YourModelPanel } from './model/your-model-panel';

// Charts (recharts) are only needed once results exist: keep them out of the first load.
const ResultsPanel = lazy(() => import('./results/results-panel').then((m) => ({ default: m.ResultsPanel })));

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Inference Lab</h1>
        <p className="tagline">
          One model, every in-browser engine your device offers: how fast, and how faithful. Everything runs in this tab; no data
          leaves your browser.
        </p>
      </header>
      <main>
        <YourModelPanel />
        <RunPanel />
        <InterruptedBanner />
        <Suspense fallback={<p aria-busy="true">Loading charts…</p>}>
          <ResultsPanel />
        </Suspense>
        <ComparePanel />
        <RecommendationPanel />
        <HistoryPanel />
        <DeviceReportPanel />
      </main>
      <footer className="app-footer">
        Inference Lab {__APP_VERSION__} · {describeEngineVersions(__RUNTIME_VERSIONS__)}
      </footer>
    </div>
  );
}
