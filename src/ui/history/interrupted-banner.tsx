import { useHistoryStore } from '../../store/history-store';
import { useRunStore } from '../../store/run-store';

/** Over reopened results: what they are, and for an interrupted run, the offer to run the rest of its plan. */
export function InterruptedBanner() {
  const shown = useRunStore((s) => s.shown);
  const running = useRunStore((s) => s.status === 'running');
  const historyWarning = useRunStore((s) => s.historyWarning);
  const resume = useHistoryStore((s) => s.resume);
  if (historyWarning) {
    return (
      <p role="alert" className="warning">
        {historyWarning}
      </p>
    );
  }
  if (!shown) return null;
  if (shown.status !== 'interrupted') {
    return (
      <p className="explain" data-testid="reopened-banner">
        Showing “{shown.name}” from the history ({shown.status}).
      </p>
    );
  }
  return (
    <div className="panel warning" role="status" data-testid="interrupted-banner">
      “{shown.name}” was interrupted (the page was reloaded or closed): the cells that finished are shown below.{' '}
      {shown.remaining > 0 && (
        <button className="primary" onClick={() => void resume(shown.runId)} disabled={running} data-testid="resume">
          Resume the remaining {shown.remaining} cell{shown.remaining === 1 ? '' : 's'}
        </button>
      )}
      <div className="explain">A resumption is timed in rounds of its own: its cells are compared with these unpaired, as runs on two devices are.</div>
    </div>
  );
}
