import { create } from 'zustand';
import type { RunRecord, StorageUse } from '../lab/history/run-history';
import { storageUse } from '../lab/history/run-history';
import { recordResults, remainingPlan } from '../lab/history/resume';
import { heldRunIds } from '../lab/history/run-locks';
import { errorMessage } from '../lab/util/errors';
import { useCompareStore } from './compare-store';
import { onHistoryChange, runHistory } from './history-db';
import { useRunStore } from './run-store';

interface HistoryState {
  runs: RunRecord[];
  /** Bytes used and allowed, and whether the browser keeps the data under storage pressure. */
  storage: StorageUse | null;
  error: string | null;
  refresh: () => Promise<void>;
  /** Shows a past run (an interrupted one with its finished cells); a resumption brings its first session beside it. */
  reopen: (runId: string) => Promise<void>;
  /** Runs the cells an interrupted run left; its finished cells stay shown beside the new ones. */
  resume: (runId: string) => Promise<void>;
  rename: (runId: string, name: string) => Promise<void>;
  remove: (runId: string) => Promise<void>;
  clear: () => Promise<void>;
  /** On page load: lists the runs, and shows the newest one if it was interrupted. */
  restore: () => Promise<void>;
}

async function loadRun(runId: string) {
  const h = await runHistory();
  const record = await h.get(runId);
  if (!record) throw new RangeError(`No run ${runId} in the history`);
  const cells = await h.cells(runId);
  const [listed] = (await h.list((id) => held.has(id))).filter((r) => r.id === runId);
  return { record: listed ?? record, cells, doc: recordResults(record, cells) };
}

/** Runs some tab still holds (refreshed on every listing). */
let held = new Set<string>();

export const useHistoryStore = create<HistoryState>((set, get) => {
  const attempt = async (work: () => Promise<void>) => {
    try {
      await work();
      set({ error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  };
  return {
    runs: [],
    storage: null,
    error: null,
    refresh: () =>
      attempt(async () => {
        held = await heldRunIds();
        const [runs, storage] = await Promise.all([(await runHistory()).list((id) => held.has(id)), storageUse()]);
        set({ runs, storage });
      }),
    reopen: (runId) =>
      attempt(async () => {
        const { record, cells, doc } = await loadRun(runId);
        useRunStore.getState().showRun(doc, { runId, name: record.name, status: record.status, remaining: cells.filter((c) => c === undefined).length });
        if (record.resumes) {
          const first = await loadRun(record.resumes).catch(() => null);
          if (first) useCompareStore.getState().add([{ id: `history:${record.resumes}`, label: `${first.record.name} (first session)`, source: 'earlier-session', doc: first.doc }]);
        }
      }),
    resume: (runId) =>
      attempt(async () => {
        const { record, cells, doc } = await loadRun(runId);
        const rest = remainingPlan(record.plan, cells);
        if (!rest) throw new RangeError(`${record.name}: every cell finished, nothing to resume`);
        useCompareStore.getState().add([{ id: `history:${runId}`, label: `${record.name} (first session)`, source: 'earlier-session', doc }]);
        await useRunStore.getState().runRest(rest, runId);
      }),
    rename: (runId, name) => attempt(async () => (await runHistory()).rename(runId, name)).then(() => get().refresh()),
    remove: (runId) => attempt(async () => (await runHistory()).delete(runId)).then(() => get().refresh()),
    clear: () => attempt(async () => (await runHistory()).clear()).then(() => get().refresh()),
    restore: () =>
      attempt(async () => {
        await get().refresh();
        const [newest] = get().runs;
        if (newest?.status === 'interrupted' && useRunStore.getState().status === 'idle') await get().reopen(newest.id);
      }),
  };
});

// Every write of a running run refreshes the list (cells finished, status).
onHistoryChange(() => void useHistoryStore.getState().refresh());
