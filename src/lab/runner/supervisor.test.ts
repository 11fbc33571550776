import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CellResult } from '../results/results';
import { QUICK_RULES } from '../bench/protocol';
import { ENGINES } from '../engines/engine-descriptors';
import type { WorkerLike } from './supervisor';
import { superviseCell } from './supervisor';
import type { CellJob, FromWorker, ToWorker } from './worker-protocol';

const job: CellJob = {
  runId: 7,
  cellId: '0:tfjs-cpu:fp32',
  cell: { engine: 'tfjs-cpu', precision: 'fp32', fidelity: false },
  modelId: 'cps-wage',
  batchSizes: [1],
  rules: QUICK_RULES,
  threads: 1,
  tolerance: undefined,
  fidelity: { attributions: false, bootstrapIterations: 0, seed: 1 },
  appBaseUrl: 'http://127.0.0.1/',
};

class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  posted: ToWorker[] = [];
  terminated = false;
  postMessage(message: ToWorker): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  send(message: FromWorker): void {
    this.onmessage?.({ data: message } as MessageEvent<FromWorker>);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
}

const completed: CellResult = {
  cellId: job.cellId,
  engine: 'tfjs-cpu',
  precision: 'fp32',
  descriptor: ENGINES['tfjs-cpu'],
  phases: {},
  wallMs: 1,
  state: 'completed',
  agreement: [],
  batches: [],
};

describe('superviseCell', () => {
  let worker: FakeWorker;
  beforeEach(() => {
    vi.useFakeTimers();
    worker = new FakeWorker();
  });
  afterEach(() => vi.useRealTimers());

  it('posts the job and passes the worker result through, then stops the worker', async () => {
    const progress = vi.fn();
    const pending = superviseCell(job, () => worker, { timeoutMs: 1000, onProgress: progress });
    expect(worker.posted).toEqual([{ type: 'run-cell', job }]);
    worker.send({ type: 'progress', runId: 7, progress: { cellId: job.cellId, phase: 'init' } });
    worker.send({ type: 'cell-result', runId: 7, result: completed });
    await expect(pending).resolves.toBe(completed);
    expect(progress).toHaveBeenCalledOnce();
    expect(worker.terminated).toBe(true);
  });

  it('marks a dead worker errored with its message, and settles only once', async () => {
    const pending = superviseCell(job, () => worker, { timeoutMs: 1000 });
    worker.crash('RuntimeError: memory access out of bounds');
    worker.send({ type: 'cell-result', runId: 7, result: completed });
    const result = await pending;
    expect(result).toMatchObject({
      state: 'errored',
      engine: 'tfjs-cpu',
      error: { kind: 'worker-crashed', message: 'The worker crashed: RuntimeError: memory access out of bounds' },
    });
    expect(worker.terminated).toBe(true);
  });

  it('stops a worker that hangs past the timeout', async () => {
    const pending = superviseCell(job, () => worker, { timeoutMs: 5000 });
    vi.advanceTimersByTime(5001);
    await expect(pending).resolves.toMatchObject({ state: 'errored', error: { kind: 'worker-hung' } });
    expect(worker.terminated).toBe(true);
  });

  it('counts silence, not total time: progress keeps a slow worker alive', async () => {
    const pending = superviseCell(job, () => worker, { timeoutMs: 5000 });
    for (let i = 0; i < 4; i += 1) {
      vi.advanceTimersByTime(4000);
      worker.send({ type: 'progress', runId: 7, progress: { cellId: job.cellId, phase: 'fidelity', done: i, target: 4 } });
    }
    worker.send({ type: 'cell-result', runId: 7, result: completed });
    await expect(pending).resolves.toBe(completed);
  });

  it('ignores messages from another run', async () => {
    const pending = superviseCell(job, () => worker, { timeoutMs: 1000 });
    worker.send({ type: 'cell-result', runId: 6, result: { ...completed, wallMs: 99 } });
    worker.send({ type: 'cell-result', runId: 7, result: completed });
    await expect(pending).resolves.toBe(completed);
  });

  it('aborts on cancel and when cancelled before starting', async () => {
    const abort = new AbortController();
    const pending = superviseCell(job, () => worker, { timeoutMs: 1000, signal: abort.signal });
    abort.abort();
    await expect(pending).resolves.toMatchObject({ state: 'aborted' });
    expect(worker.terminated).toBe(true);
    const factory = vi.fn(() => new FakeWorker());
    await expect(superviseCell(job, factory, { timeoutMs: 1000, signal: abort.signal })).resolves.toMatchObject({ state: 'aborted' });
    expect(factory).not.toHaveBeenCalled();
  });

  it('reports a worker that cannot even start', async () => {
    const result = await superviseCell(job, () => {
      throw new Error('Worker scripts are blocked');
    }, { timeoutMs: 1000 });
    expect(result).toMatchObject({ state: 'errored', error: { kind: 'worker-crashed' } });
    expect(result.state === 'errored' && result.error.message).toContain('blocked');
  });
});
