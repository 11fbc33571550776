import type { WorkerLike } from './supervisor';

/** A fresh module worker per cell (see worker-entry.ts for why). */
export function createCellWorker(): WorkerLike {
  return new Worker(new URL('./worker-entry.ts', import.meta.url), { type: 'module', name: 'inference-lab-cell' });
}
