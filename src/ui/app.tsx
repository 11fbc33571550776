import { lazy, Suspense } from 'react';
import { DeviceReportPanel } from './device/device-report-panel';
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
        <Suspense fallback={<p aria-busy="true">Loading charts…</p>}>
          <ResultsPanel />
        </Suspense>
        <DeviceReportPanel />
      </main>
      <footer className="app-footer">
        Inference Lab {__APP_VERSION__} · onnxruntime-web {__ORT_VERSION__} · TensorFlow.js {__TFJS_VERSION__}
      </footer>
    </div>
  );
}
