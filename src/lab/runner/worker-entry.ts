/// <reference lib="webworker" />
/**
 * The cell worker: one per cell, so a crash, a hung engine or a global flag
 * set by one runtime never leaks into the next cell. It holds the cell's warm
 * session between the runner's requests. Imports nothing from the main
 * thread's world.
 */
import { cellIdentity } from './plan';
import { installMemoryTrackers, trackedMemory } from '../bench/memory-trackers';
import { loadEngine } from '../engines/registry';
import { errorMessage } from '../util/errors';
import type { LiveCell } from './cell-runner';
import { closeCell, openCell, sampleBlock } from './cell-runner';
import { measureOverhead } from '../bench/harness-overhead';
import { profileCell } from '../profiles/profile-cell';
import type { FromWorker, ToWorker } from './worker-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope & { __inferenceLabCellWorker?: true };
let live: LiveCell | undefined;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'open': {
      const { job } = message;
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
      const outcome = await openCell(job, { loadEngine, readMemory: trackedMemory, onProgress: (progress) => post({ type: 'progress', runId: job.runId, progress }) });
      if (outcome.kind === 'ended') {
        post({ type: 'cell-result', runId: job.runId, result: outcome.result });
        return;
      }
      live = outcome.live;
      post({ type: 'opened', runId: job.runId, opened: live.opened });
      return;
    }
    case 'block': {
      const cell = live;
      if (!cell) return;
      try {
        const block = await sampleBlock(cell, message.batchSize, message.request);
        post({ type: 'block-done', runId: message.runId, block });
      } catch (error) {
        // The engine failed after it had agreed with the golden outputs: the cell ends errored, its session released.
        live = undefined;
        await cell.session.dispose().catch(() => undefined);
        const { job, opened } = cell;
        post({
          type: 'cell-result',
          runId: message.runId,
          result: {
            ...cellIdentity(job.cell, job.cellId),
            runtime: opened.runtime,
            precisionInfo: opened.precisionInfo,
            phases: opened.phases,
            wallMs: 0,
            state: 'errored',
            error: { kind: 'run-failed', message: `Sampling batch size ${message.batchSize} (round ${message.round + 1}): ${errorMessage(error)}` },
            agreement: opened.agreement,
            tolerance: opened.tolerance,
          },
        });
      }
      return;
    }
    case 'profile': {
      const cell = live;
      const ask = cell?.job.profile;
      if (!cell || !ask) return;
      post({ type: 'profiled', runId: message.runId, profile: await profileCell(cell, ask.batchSize, ask.runs) });
      return;
    }
    case 'overhead': {
      const cell = live;
      const warm = cell?.opened.warm[0];
      const input = warm ? cell.inputs.get(warm.batchSize) : undefined;
      if (!cell || !warm || !input) return;
      const { session, now } = cell;
      const overhead = await measureOverhead(() => session.run(input, warm.batchSize), message.pairs, warm.callsPerSample, now);
      post({ type: 'overhead-done', runId: message.runId, overhead });
      return;
    }
    case 'close': {
      const cell = live;
      live = undefined;
      const closed = cell ? await closeCell(cell, (progress) => post({ type: 'progress', runId: message.runId, progress })) : undefined;
      post({ type: 'closed', runId: message.runId, ...(closed?.fidelity ? { fidelity: closed.fidelity } : {}), ...(closed ? { memory: closed.memory } : {}) });
      return;
    }
  }
}

/**
 * WebKit evaluates this module a second time when a lazily loaded engine
 * chunk imports code the bundler left in this entry chunk (its module map
 * does not hold a worker's top-level script). The second copy has its own
 * `live`: had it taken over `onmessage`, every request after 'open' would
 * find no cell (seen in WebKitGTK 2.50: every cell hung at its first block).
 * Only the first evaluation starts the worker.
 */
if (!scope.__inferenceLabCellWorker) {
  scope.__inferenceLabCellWorker = true;
  // Before any engine loads (they load lazily, on 'open'), so every wasm memory and GPU buffer is seen.
  installMemoryTrackers();
  scope.onmessage = (event: MessageEvent<ToWorker>) => {
    void handle(event.data);
  };
  post({ type: 'ready' });
}
