/**
 * Writes one run into the history as it goes: the run when it starts, each
 * cell the moment it finishes, the whole document at the end. Writes are
 * queued in order (a cell is never written before its run), hold the run's
 * Web Lock while it goes on, and a failing write (private browsing, a full
 * disk) is reported once and never stops the run.
 */
import { errorMessage } from '../util/errors';
import type { ResultsDocument } from '../results/results';
import type { Plan } from '../runner/plan';
import type { RunProgress } from '../runner/run-plan';
import type { RunHistory } from './run-history';
import { holdRunLock } from './run-locks';

export class RunRecorder {
  private queue: Promise<unknown> = Promise.resolve();
  private runId: string | null = null;
  private release: () => void = () => undefined;
  private failed = false;

  constructor(
    private readonly history: Promise<RunHistory>,
    private readonly plan: Plan,
    private readonly options: { resumes?: string; onError: (message: string) => void; onChange?: () => void },
  ) {}

  /** Feed every progress event of the run: the start and each finished cell are written. */
  onProgress(progress: RunProgress): void {
    const { started, result } = progress;
    if (started) {
      this.enqueue(async (h) => {
        this.runId = await h.start(this.plan, started, this.options.resumes ? { resumes: this.options.resumes } : {});
        this.release = holdRunLock(this.runId);
      });
    }
    if (result) {
      const index = progress.cellIndex;
      this.enqueue(async (h) => {
        if (this.runId) await h.saveCell(this.runId, index, result);
      });
    }
  }

  finish(results: ResultsDocument): Promise<void> {
    return this.end(async (h, id) => h.finish(id, results));
  }

  fail(error: string): Promise<void> {
    return this.end(async (h, id) => h.fail(id, error));
  }

  /** The run's id in the history once written (null before, or when the history is unavailable). */
  async id(): Promise<string | null> {
    await this.queue;
    return this.runId;
  }

  private end(write: (h: RunHistory, id: string) => Promise<void>): Promise<void> {
    this.enqueue(async (h) => {
      if (this.runId) await write(h, this.runId);
    });
    return this.queue.then(() => this.release());
  }

  private enqueue(write: (h: RunHistory) => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.failed) return;
      try {
        await write(await this.history);
        this.options.onChange?.();
      } catch (error) {
        this.failed = true;
        this.options.onError(`The run history could not be written (${errorMessage(error)}): this run is not kept across a reload.`);
      }
    });
  }
}
