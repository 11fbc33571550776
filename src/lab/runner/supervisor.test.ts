import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CellResult } from '../results/results';
import { QUICK_RULES } from '../bench/protocol';
import { ENGINES } from '../engines/engine-descriptors';
import { k_opened_cell } from './opened-cell.fixture';
import type { WorkerLike } from './supervisor';
import { CellChannel, k_worker_start_attempts, lostResult } from './supervisor';
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
  timerStepMs: 0.005,
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

const unavailable: CellResult = {
  cellId: job.cellId,
  engine: 'tfjs-cpu',
  precision: 'fp32',
  descriptor: ENGINES['tfjs-cpu'],
  phases: {},
  wallMs: 1,
  state: 'unavailable',
  reason: 'no WebGL',
};

const opened = k_opened_cell;

const block = { callsPerSample: 1, minSpanMs: 0.1, minSamples: 1, maxSamples: 2, minMs: 0, maxMs: 10 };

/** Lets the channel's awaited request post its message. */
const flush = () => Promise.resolve();

/** A channel whose factory makes a new fake worker each time, with its open() under way. */
async function openingWithFreshWorkers() {
  const workers: FakeWorker[] = [];
  const channel = new CellChannel(job, () => {
    workers.push(new FakeWorker());
    return workers.at(-1)!;
  }, { timeoutMs: 1000 });
  const opening = channel.open();
  await Promise.resolve();
  return { workers, opening, channel };
}

describe('CellChannel worker start', () => {
  it('starts a worker again when its script failed to load before it said ready, re-sending the open it never read', async () => {
    const { workers, opening, channel } = await openingWithFreshWorkers();
    // Load failures (no message) before 'ready': three, as WebKitGTK gives.
    for (let i = 0; i < 3; i += 1) workers.at(-1)!.crash('');
    expect(workers).toHaveLength(4);
    expect(workers.slice(0, 3).every((w) => w.terminated)).toBe(true);
    const live = workers.at(-1)!;
    expect(live.posted).toEqual([{ type: 'open', job }]);
    live.send({ type: 'ready' });
    live.send({ type: 'opened', runId: job.runId, opened });
    expect(await opening).toEqual({ ok: opened });
    // After 'ready', an error is a crash: no new worker.
    const blocking = channel.block(1, 0, block);
    live.crash('');
    expect(await blocking).toMatchObject({ lost: 'errored', kind: 'worker-crashed' });
    expect(workers).toHaveLength(4);
  });

  it('gives up after k_worker_start_attempts load failures, saying how many', async () => {
    const { workers, opening } = await openingWithFreshWorkers();
    for (let i = 0; i < k_worker_start_attempts; i += 1) workers.at(-1)!.crash('');
    expect(await opening).toMatchObject({ lost: 'errored', message: `The worker crashed: no message (its script failed to load in ${k_worker_start_attempts} attempts, or the engine aborted, e.g. out of memory)` });
    expect(workers).toHaveLength(k_worker_start_attempts);
  });
});

describe('CellChannel', () => {
  let worker: FakeWorker;
  beforeEach(() => {
    vi.useFakeTimers();
    worker = new FakeWorker();
  });
  afterEach(() => vi.useRealTimers());

  it('opens, samples blocks and closes over one worker, then stops it', async () => {
    const progress = vi.fn();
    const channel = new CellChannel(job, () => worker, { timeoutMs: 1000, onProgress: progress });
    const opening = channel.open();
    await flush();
    expect(worker.posted).toEqual([{ type: 'open', job }]);
    worker.send({ type: 'progress', runId: 7, progress: { cellId: job.cellId, phase: 'init' } });
    worker.send({ type: 'opened', runId: 7, opened });
    await expect(opening).resolves.toEqual({ ok: opened });
    const sampling = channel.block(1, 0, block);
    await flush();
    expect(worker.posted[1]).toEqual({ type: 'block', runId: 7, batchSize: 1, round: 0, request: block });
    worker.send({ type: 'block-done', runId: 7, block: { samplesMs: [0.5, 0.6], callsPerSample: 1 } });
    await expect(sampling).resolves.toEqual({ ok: { samplesMs: [0.5, 0.6], callsPerSample: 1 } });
    const closing = channel.close();
    await flush();
    const memory = { peakBytes: 2048, afterDisposeBytes: 1024, source: 'wasm memory' };
    worker.send({ type: 'closed', runId: 7, memory });
    await expect(closing).resolves.toEqual({ ok: { memory } });
    expect(progress).toHaveBeenCalledOnce();
    expect(worker.terminated).toBe(true);
  });

  it('passes a cell that ended while opening through and stops the worker', async () => {
    const channel = new CellChannel(job, () => worker, { timeoutMs: 1000 });
    const opening = channel.open();
    await flush();
    worker.send({ type: 'cell-result', runId: 7, result: unavailable });
    await expect(opening).resolves.toEqual({ ended: unavailable });
    expect(worker.terminated).toBe(true);
  });

  it('marks a dead worker lost with its message; later requests get the same answer', async () => {
    const channel = new CellChannel(job, () => worker, { timeoutMs: 1000 });
    const opening = channel.open();
    await flush();
    worker.crash('RuntimeError: memory access out of bounds');
    const lost = { lost: 'errored', kind: 'worker-crashed', message: 'The worker crashed: RuntimeError: memory access out of bounds' };
    await expect(opening).resolves.toEqual(lost);
    await expect(channel.block(1, 0, block)).resolves.toEqual(lost);
    expect(worker.terminated).toBe(true);
    expect(lostResult(job, lost as never, 3)).toMatchObject({ state: 'errored', engine: 'tfjs-cpu', wallMs: 3, error: { kind: 'worker-crashed' } });
  });

  it('stops a worker that is silent past the timeout, counting silence not total time', async () => {
    const channel = new CellChannel(job, () => worker, { timeoutMs: 5000 });
    const opening = channel.open();
    await flush();
    for (let i = 0; i < 4; i += 1) {
      vi.advanceTimersByTime(4000);
      worker.send({ type: 'progress', runId: 7, progress: { cellId: job.cellId, phase: 'check' } });
    }
    vi.advanceTimersByTime(5001);
    await expect(opening).resolves.toMatchObject({ lost: 'errored', kind: 'worker-hung' });
    expect(worker.terminated).toBe(true);
  });

  it('ignores messages from another run', async () => {
    const channel = new CellChannel(job, () => worker, { timeoutMs: 1000 });
    const opening = channel.open();
    await flush();
    worker.send({ type: 'cell-result', runId: 6, result: { ...unavailable, wallMs: 99 } });
    worker.send({ type: 'cell-result', runId: 7, result: unavailable });
    await expect(opening).resolves.toEqual({ ended: unavailable });
  });

  it('aborts on cancel, also a warm idle cell, and never starts a worker after a cancel', async () => {
    const abort = new AbortController();
    const channel = new CellChannel(job, () => worker, { timeoutMs: 1000, signal: abort.signal });
    const opening = channel.open();
    await flush();
    worker.send({ type: 'opened', runId: 7, opened });
    await opening;
    abort.abort();
    expect(worker.terminated).toBe(true);
    await expect(channel.block(1, 0, block)).resolves.toEqual({ lost: 'aborted', reason: 'Cancelled while running' });
    const factory = vi.fn(() => new FakeWorker());
    await expect(new CellChannel(job, factory, { timeoutMs: 1000, signal: abort.signal }).open()).resolves.toMatchObject({ lost: 'aborted' });
    expect(factory).not.toHaveBeenCalled();
  });

  it('reports a worker that cannot even start', async () => {
    const answer = await new CellChannel(job, () => {
      throw new Error('Worker scripts are blocked');
    }, { timeoutMs: 1000 }).open();
    expect(answer).toMatchObject({ lost: 'errored', kind: 'worker-crashed' });
    expect('message' in answer && answer.message).toContain('blocked');
  });
});
