import { requestPersistentStorage, RunHistory } from '../lab/history/run-history';
import { RunRecorder } from '../lab/history/run-recorder';
import type { Plan } from '../lab/runner/plan';

/** The page's one connection to its run history, opened on first use. */
let opened: Promise<RunHistory> | undefined;

export function runHistory(): Promise<RunHistory> {
  opened ??= RunHistory.open();
  return opened;
}

/** Listeners told when a recorder wrote something (the history list refreshes). */
const listeners = new Set<() => void>();
export function onHistoryChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let persistenceAsked = false;

/**
 * A recorder for a run the page starts: each finished cell is kept the moment it finishes.
 * The first run asks the browser to keep the history under storage pressure (asked on a
 * user's action, not on load: some browsers show a prompt).
 */
export function recordRun(plan: Plan, onError: (message: string) => void, resumes?: string): RunRecorder {
  if (!persistenceAsked) {
    persistenceAsked = true;
    void requestPersistentStorage();
  }
  return new RunRecorder(runHistory(), plan, { ...(resumes ? { resumes } : {}), onError, onChange: () => listeners.forEach((l) => l()) });
}
