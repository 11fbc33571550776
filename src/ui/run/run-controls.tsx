import { useState } from 'react';
import { ENGINES } from '../../lab/engines/engine-descriptors';
import { useRunStore } from '../../store/run-store';

export function RunControls() {
  const status = useRunStore((s) => s.status);
  const progress = useRunStore((s) => s.progress);
  const plan = useRunStore((s) => s.plan);
  const error = useRunStore((s) => s.error);
  const planWarning = useRunStore((s) => s.planWarning);
  const run = useRunStore((s) => s.run);
  const cancel = useRunStore((s) => s.cancel);
  const shareUrl = useRunStore((s) => s.shareUrl);
  const [copied, setCopied] = useState<string | null>(null);
  const running = status === 'running';

  const cellCount = progress?.cellCount ?? plan.cells.length;
  const doneCells = progress ? progress.cellIndex + (progress.result ? 1 : 0) : 0;
  const cellFraction =
    progress?.cell?.done !== undefined && progress.cell.target ? progress.cell.done / progress.cell.target / plan.batchSizes.length : 0;
  const value = running ? Math.min(1, (doneCells + (progress?.result ? 0 : cellFraction)) / cellCount) : status === 'done' ? 1 : 0;
  const current = progress && !progress.result ? plan.cells[progress.cellIndex] : undefined;

  // Sticky (styles.css): Run, Cancel and the run's status stay on screen, above the findings a run reveals.
  return (
    <div className="run-controls" role="region" aria-label="Run the plan">
      <button className="primary" onClick={() => void run()} disabled={running} data-testid="run">
        Run
      </button>
      <button onClick={cancel} disabled={!running} data-testid="cancel">
        Cancel
      </button>
      <button
        onClick={() => {
          const url = shareUrl(window.location);
          void navigator.clipboard?.writeText(url).catch(() => undefined);
          setCopied(url);
        }}
      >
        Copy share link
      </button>
      <progress max={1} value={value} aria-label="Run progress" data-testid="progress" />
      <span className="status" data-testid="run-status" data-status={status} aria-live="polite">
        {running && current
          ? `Cell ${doneCells + 1} of ${cellCount}: ${ENGINES[current.engine].label} — ${progress?.cell?.phase ?? 'starting'}${
              progress?.cell?.batchSize ? ` (batch ${progress.cell.batchSize})` : ''
            }`
          : status === 'idle'
            ? 'Ready'
            : status}
      </span>
      {planWarning && (
        <p role="alert" className="warning" data-testid="plan-warning">
          {planWarning}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {copied && (
        <p className="explain">
          Share link (reproduces this plan): <code data-testid="share-url">{copied}</code>
        </p>
      )}
    </div>
  );
}
