/**
 * The main thread's side of one cell's worker. Each request (open, block,
 * close) settles with the worker's answer, or with a tagged failure when the
 * worker crashed, went silent for too long, or the run was cancelled: the
 * supervisor never rejects, so one cell's death never costs the run.
 */
import { cellIdentity } from './plan';
import type { CellErrorKind, CellMemory, CellResult, FidelityOutcome } from '../results/results';
import type { BlockRequest, BlockResult } from '../bench/protocol';
import type { OverheadMeasurement } from '../bench/harness-overhead';
import type { KernelProfileOutcome } from '../profiles/kernel-profile';
import type { CellJob, CellProgress, FromWorker, OpenedCell, ToWorker } from './worker-protocol';

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
  /** A worker silent this long (no progress, no answer) is declared hung. */
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: CellProgress) => void;
  now?: () => number;
}

/** How a request ended when the worker did not answer it. */
export type Lost = { lost: 'errored'; kind: Extract<CellErrorKind, 'worker-crashed' | 'worker-hung'>; message: string } | { lost: 'aborted'; reason: string };

type Answer<T> = { ok: T } | Lost;

/** How many times a worker whose script failed to load is started again (see CellChannel.startWorker). */
export const k_worker_start_attempts = 6;

/** One worker, one cell, requests one at a time. */
export class CellChannel {
  private worker: WorkerLike | undefined;
  private pending: ((message: FromWorker | Lost) => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dead: Lost | undefined;
  private busy = 0;
  /** Whether the current worker has said 'ready' (its script loaded). */
  private ready = false;
  private startAttempts = 1;
  private readonly now: () => number;
  private readonly onAbort = () => this.lose({ lost: 'aborted', reason: 'Cancelled while running' });

  constructor(
    readonly job: CellJob,
    private readonly createWorker: WorkerFactory,
    private readonly options: SuperviseOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    options.signal?.addEventListener('abort', this.onAbort);
  }

  /** Milliseconds this cell's own requests took (open, blocks, close): its wall time, without waiting for other cells. */
  busyMs(): number {
    return this.busy;
  }

  /** Starts the worker and opens the cell: either it is warm and waiting, or it ended. */
  async open(): Promise<Answer<OpenedCell> | { ended: CellResult }> {
    if (this.options.signal?.aborted) return { lost: 'aborted', reason: 'Cancelled before it started' };
    try {
      this.startWorker();
    } catch (error) {
      return this.lose({ lost: 'errored', kind: 'worker-crashed', message: `The worker could not start: ${String(error)}` });
    }
    const answer = await this.request({ type: 'open', job: this.job });
    if ('lost' in answer) return answer;
    if (answer.type === 'cell-result') {
      this.shutdown();
      return { ended: answer.result };
    }
    if (answer.type !== 'opened') return this.unexpected(answer);
    return { ok: answer.opened };
  }

  async block(batchSize: number, round: number, request: BlockRequest): Promise<Answer<BlockResult> | { ended: CellResult }> {
    const answer = await this.request({ type: 'block', runId: this.job.runId, batchSize, round, request });
    if ('lost' in answer) return answer;
    if (answer.type === 'cell-result') {
      this.shutdown();
      return { ended: answer.result };
    }
    if (answer.type !== 'block-done') return this.unexpected(answer);
    return { ok: answer.block };
  }

  /** Profiles the open cell (a profiling job only); the cell stays open until close(). */
  async profile(): Promise<Answer<KernelProfileOutcome>> {
    const answer = await this.request({ type: 'profile', runId: this.job.runId });
    if ('lost' in answer) return answer;
    if (answer.type !== 'profiled') return this.unexpected(answer);
    return { ok: answer.profile };
  }

  /** Harness overhead against a raw loop on the open cell (benchmark only); the cell stays open until close(). */
  async overhead(pairs: number): Promise<Answer<OverheadMeasurement>> {
    const answer = await this.request({ type: 'overhead', runId: this.job.runId, pairs });
    if ('lost' in answer) return answer;
    if (answer.type !== 'overhead-done') return this.unexpected(answer);
    return { ok: answer.overhead };
  }

  /** Runs the fidelity pass (if the cell asked for one) and releases the session; the worker is then terminated. */
  async close(): Promise<Answer<{ fidelity?: FidelityOutcome; memory?: CellMemory }>> {
    const answer = await this.request({ type: 'close', runId: this.job.runId });
    this.shutdown();
    if ('lost' in answer) return answer;
    if (answer.type !== 'closed') return this.unexpected(answer);
    return { ok: { ...(answer.fidelity ? { fidelity: answer.fidelity } : {}), ...(answer.memory ? { memory: answer.memory } : {}) } };
  }

  /**
   * Creates the worker and wires it. A worker whose script fails to load
   * (an error with no message before it said 'ready') has run nothing, so it
   * is started again, up to k_worker_start_attempts times, with the 'open'
   * request it never read: WebKitGTK 2.50 fails to load a module worker
   * whose script another live worker already loaded, three times in a row,
   * then loads it. Any error after 'ready', or with a message, is a crash.
   */
  private startWorker(): void {
    this.ready = false;
    const worker = this.createWorker();
    this.worker = worker;
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (!this.ready && !event.message && this.startAttempts < k_worker_start_attempts && this.worker === worker) {
        this.startAttempts += 1;
        worker.terminate();
        try {
          this.startWorker();
          this.worker?.postMessage({ type: 'open', job: this.job });
          return;
        } catch {
          // fall through: the cell is lost below
        }
      }
      this.lose({
        lost: 'errored',
        kind: 'worker-crashed',
        message: `The worker crashed: ${event.message || `no message (its script failed to load${this.startAttempts > 1 ? ` in ${this.startAttempts} attempts` : ''}, or the engine aborted, e.g. out of memory)`}`,
      });
    };
    if ('onmessageerror' in worker) {
      worker.onmessageerror = () => this.lose({ lost: 'errored', kind: 'worker-crashed', message: 'The worker sent a message that could not be read' });
    }
  }

  /** Terminates the worker (idempotent). */
  shutdown(): void {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.worker?.terminate();
    this.worker = undefined;
  }

  private request(message: ToWorker): Promise<FromWorker | Lost> {
    if (this.dead) return Promise.resolve(this.dead);
    const start = this.now();
    return new Promise((resolve) => {
      this.pending = (answer) => {
        this.busy += this.now() - start;
        resolve(answer);
      };
      this.arm();
      this.worker?.postMessage(message);
    });
  }

  private arm(): void {
    clearTimeout(this.timer);
    // The timeout measures silence, not the whole cell: a worker that keeps
    // reporting progress (a long fidelity pass on a software GPU) is alive.
    this.timer = setTimeout(
      () => this.lose({ lost: 'errored', kind: 'worker-hung', message: `The worker did not answer within ${Math.round(this.options.timeoutMs / 1000)} s and was stopped` }),
      this.options.timeoutMs,
    );
  }

  private receive(message: FromWorker): void {
    if (message.type === 'ready') {
      this.ready = true;
      return;
    }
    // A message from an earlier run of a reused id is stale: ignore it.
    if (message.runId !== this.job.runId) return;
    if (message.type === 'progress') {
      this.arm();
      this.options.onProgress?.(message.progress);
      return;
    }
    clearTimeout(this.timer);
    const resolve = this.pending;
    this.pending = undefined;
    resolve?.(message);
  }

  private lose(lost: Lost): Lost {
    if (this.dead) return this.dead;
    this.dead = lost;
    this.shutdown();
    const resolve = this.pending;
    this.pending = undefined;
    resolve?.(lost);
    return lost;
  }

  private unexpected(message: FromWorker): Lost {
    return this.lose({ lost: 'errored', kind: 'worker-crashed', message: `The worker answered "${message.type}" out of turn` });
  }
}

/** The result of a cell whose worker was lost or cancelled. */
export function lostResult(job: CellJob, lost: Lost, wallMs: number): CellResult {
  const base = { ...cellIdentity(job.cell, job.cellId), phases: {}, wallMs };
  return lost.lost === 'aborted'
    ? { ...base, state: 'aborted', reason: lost.reason }
    : { ...base, state: 'errored', error: { kind: lost.kind, message: lost.message } };
}
