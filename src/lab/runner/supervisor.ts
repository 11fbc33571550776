import { ENGINES } from '../engines/engine-descriptors';
import type { CellResult } from '../results/results';
import type { CellJob, CellProgress, FromWorker, ToWorker } from './worker-protocol';

/** The part of a Worker the supervisor uses; tests pass fakes. */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
}

export type WorkerFactory = () => WorkerLike;

export interface SuperviseOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: CellProgress) => void;
  now?: () => number;
}

/**
 * Runs one cell in a fresh worker and always settles with a tagged result:
 * the worker's own answer, `errored` when it crashed or hung (the worker is
 * then terminated), or `aborted` when the signal fired. It never rejects.
 */
export function superviseCell(job: CellJob, createWorker: WorkerFactory, options: SuperviseOptions): Promise<CellResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const base = {
    cellId: job.cellId,
    engine: job.cell.engine,
    precision: job.cell.precision,
    descriptor: ENGINES[job.cell.engine],
    phases: {},
  };

  return new Promise<CellResult>((resolve) => {
    let settled = false;
    let worker: WorkerLike | undefined;
    const settle = (result: CellResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      worker?.terminate();
      resolve(result);
    };
    const fail = (kind: 'worker-crashed' | 'worker-hung', message: string) =>
      settle({ ...base, wallMs: now() - started, state: 'errored', error: { kind, message } });
    const onAbort = () => settle({ ...base, wallMs: now() - started, state: 'aborted', reason: 'Cancelled while running' });

    // The timeout measures silence, not the whole cell: a worker that keeps
    // reporting progress (a long fidelity pass on a software GPU) is alive.
    const hung = () => fail('worker-hung', `The worker did not answer within ${Math.round(options.timeoutMs / 1000)} s and was stopped`);
    let timer = setTimeout(hung, options.timeoutMs);
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort);

    try {
      worker = createWorker();
    } catch (error) {
      fail('worker-crashed', `The worker could not start: ${String(error)}`);
      return;
    }
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === 'ready') return;
      // A message from an earlier run of a reused id is stale: ignore it.
      if (message.runId !== job.runId) return;
      if (message.type === 'progress') {
        clearTimeout(timer);
        timer = setTimeout(hung, options.timeoutMs);
        options.onProgress?.(message.progress);
      } else settle(message.result);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      fail('worker-crashed', `The worker crashed: ${event.message || 'no message (its script failed to load, or the engine aborted, e.g. out of memory)'}`);
    };
    if ('onmessageerror' in worker) {
      worker.onmessageerror = () => fail('worker-crashed', 'The worker sent a message that could not be read');
    }
    worker.postMessage({ type: 'run-cell', job });
  });
}
