import { useEffect, useRef, useState } from 'react';
import type { RunRecord } from '../../lab/history/run-history';
import { deviceLabel } from '../../lab/results/device-label';
import { formatBytes } from '../../lab/util/format';
import { useCompareStore } from '../../store/compare-store';
import { useHistoryStore } from '../../store/history-store';
import { useRunStore } from '../../store/run-store';
import { recordResults } from '../../lab/history/resume';
import { ScrollRegion } from '../scroll-region';

const STATUS_BADGE: Record<RunRecord['status'], string> = {
  running: 'badge-info',
  interrupted: 'badge-errored',
  complete: 'badge-completed',
  cancelled: 'badge-unavailable',
  failed: 'badge-errored',
};

/** `resumedBy`: the run that resumed this one's remaining cells, if any (it is not offered again). */
function RunRow({ run, resumedBy }: { run: RunRecord; resumedBy: RunRecord | undefined }) {
  const { reopen, resume, rename, remove } = useHistoryStore.getState();
  const addCompared = useCompareStore((s) => s.add);
  const running = useRunStore((s) => s.status === 'running');
  const [editing, setEditing] = useState<string | null>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const rest = run.cellCount - run.finishedCells;
  return (
    <tr data-run={run.id} data-status={run.status}>
      <th scope="row">
        {editing === null ? (
          run.name
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void rename(run.id, editing).then(() => setEditing(null));
            }}
          >
            <input
              value={editing}
              onChange={(e) => setEditing(e.target.value)}
              // Escape leaves the name as it was, and focus goes back to the Rename button it came from.
              onKeyDown={(e) => {
                if (e.key !== 'Escape') return;
                setEditing(null);
                requestAnimationFrame(() => renameButton.current?.focus());
              }}
              aria-label="Run name"
              autoFocus
              data-testid="rename-input"
            />{' '}
            <button type="submit">Save</button>
          </form>
        )}
        <div className="explain">{run.resumes ? 'resumes an interrupted run' : run.plan.name ?? 'custom'}</div>
      </th>
      <td>{run.started.model.name}</td>
      <td>{deviceLabel(run.started.device)}</td>
      <td>{new Date(run.started.createdAt).toLocaleString()}</td>
      <td data-testid="history-cells">
        {run.finishedCells} of {run.cellCount}
      </td>
      <td>
        <span className={`badge ${STATUS_BADGE[run.status]}`}>{run.status}</span>
        {run.error && <div className="explain">{run.error}</div>}
      </td>
      <td className="history-actions">
        <button onClick={() => void reopen(run.id)} disabled={running}>
          Open
        </button>
        {run.status === 'interrupted' && rest > 0 && !resumedBy && (
          <button onClick={() => void resume(run.id)} disabled={running} data-testid="history-resume">
            Resume {rest} cell{rest === 1 ? '' : 's'}
          </button>
        )}
        {resumedBy && (
          <span className="explain" data-testid="history-resumed-by">
            resumed by {resumedBy.name}
          </span>
        )}
        {run.status !== 'running' && (
          <button
            onClick={() =>
              void useHistoryStore.getState().refresh().then(async () => {
                const { runHistory } = await import('../../store/history-db');
                const h = await runHistory();
                const doc = recordResults(run, await h.cells(run.id));
                addCompared([{ id: `history:${run.id}`, label: run.name, source: 'history', doc }]);
              })
            }
          >
            Compare
          </button>
        )}
        <button onClick={() => setEditing(run.name)} ref={renameButton}>
          Rename
        </button>
        <button onClick={() => void remove(run.id)} disabled={run.status === 'running'}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/** Past runs kept in this browser: reopen, resume, compare, rename, delete; what they take on disk. */
export function HistoryPanel() {
  const runs = useHistoryStore((s) => s.runs);
  const storage = useHistoryStore((s) => s.storage);
  const error = useHistoryStore((s) => s.error);
  const restore = useHistoryStore((s) => s.restore);
  const clear = useHistoryStore((s) => s.clear);

  useEffect(() => {
    void restore();
  }, [restore]);

  return (
    <section className="panel" aria-labelledby="history-heading" data-testid="history-panel">
      <h2 id="history-heading">History</h2>
      <p className="explain" data-testid="storage-use">
        Every run is kept in this browser (IndexedDB), each cell the moment it finishes: a reload or a crashed tab loses no finished cell.{' '}
        {storage?.usage !== null && storage?.usage !== undefined
          ? `This site uses ${formatBytes(storage.usage)}${storage.quota ? ` of ${formatBytes(storage.quota)} allowed` : ''}. `
          : 'This browser does not say how much storage the site uses. '}
        {storage?.persisted === true
          ? 'Storage is persistent: the browser will not clear it to make room.'
          : storage?.persisted === false
            ? 'Storage is not persistent: the browser may clear it when the disk runs short (it was asked to keep it when the first run started).'
            : ''}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {runs.length === 0 ? (
        <p className="explain">No runs yet.</p>
      ) : (
        <>
          <ScrollRegion label="Saved runs">
            <table data-testid="history-table">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Model</th>
                  <th scope="col">Device</th>
                  <th scope="col">Date</th>
                  <th scope="col">Cells</th>
                  <th scope="col">State</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <RunRow key={r.id} run={r} resumedBy={runs.find((x) => x.resumes === r.id)} />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <button
            onClick={() => {
              if (window.confirm(`Delete all ${runs.length} runs kept in this browser?`)) void clear();
            }}
          >
            Clear history
          </button>
        </>
      )}
    </section>
  );
}
