/**
 * Which runs a tab is still running, across tabs: the running tab holds a Web
 * Lock named after the run until it ends, so a reloaded or crashed tab's run
 * is known to be interrupted (its lock is gone) while one still going on in
 * another tab is not.
 */
const k_lock_prefix = 'inference-lab-run:';

type LockManagerLike = Pick<LockManager, 'request' | 'query'>;

function locks(): LockManagerLike | undefined {
  return (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
}

/** Holds the run's lock until the returned release is called (a no-op where the browser has no Web Locks). */
export function holdRunLock(runId: string, manager: LockManagerLike | undefined = locks()): () => void {
  if (!manager) return () => undefined;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  void manager.request(`${k_lock_prefix}${runId}`, () => held).catch(() => undefined);
  return release;
}

/** Ids of the runs some tab holds now; without Web Locks, none (every unfinished run reads as interrupted). */
export async function heldRunIds(manager: LockManagerLike | undefined = locks()): Promise<Set<string>> {
  if (!manager) return new Set();
  const state = await manager.query();
  return new Set((state.held ?? []).flatMap((l) => (l.name?.startsWith(k_lock_prefix) ? [l.name.slice(k_lock_prefix.length)] : [])));
}
