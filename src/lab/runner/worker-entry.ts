/// <reference lib="webworker" />
/**
 * The cell worker: one per cell, so a crash, a hung engine or a global flag
 * set by one runtime never leaks into the next cell. Imports nothing from the
 * main thread's world.
 */
import { loadEngine } from '../engines/registry';
import { runCell } from './cell-runner';
import type { FromWorker, ToWorker } from './worker-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const { job } = event.data;
  if (job.cell.fault === 'crash-worker') {
    // An uncaught error outside any promise: what a runtime's internal crash looks like to the page.
    setTimeout(() => {
      throw new Error('Injected fault: the worker crashed');
    });
    return;
  }
  if (job.cell.fault === 'hang-worker') {
    // Blocks the worker's thread for good, as a runaway kernel would.
    for (;;) {
      /* hang */
    }
  }
  void runCell(job, {
    loadEngine,
    onProgress: (progress) => post({ type: 'progress', runId: job.runId, progress }),
  }).then((result) => post({ type: 'cell-result', runId: job.runId, result }));
};

post({ type: 'ready' });
