import type { OverheadOutcome } from '../bench/overhead-plan';
import { overheadPlan } from '../bench/overhead-plan';
import type { DeviceReport } from '../device/device-report';
import type { KernelProfileOutcome } from '../profiles/kernel-profile';
import type { DiagnosticProgress } from './diagnostic-cells';
import { profilePlan } from '../profiles/profile-plan';
import type { ResultsDocument } from '../results/results';
import type { Plan } from './plan';
import type { RunPlanOptions, RunProgress } from './run-plan';
import { runPlan } from './run-plan';

/** What runPlan, profilePlan and overheadPlan each take. */
type RunnerOptions<P> = Omit<RunPlanOptions, 'onProgress'> & { onProgress: (progress: P) => void };

/**
 * One run at a time per page. Starting a new run cancels the current one, and
 * progress from a replaced run is dropped (tfjs-core's pendingBackendInitId habit).
 */
export class RunController {
  private nextRunId = 1;
  private current: { runId: number; abort: AbortController } | undefined;

  constructor(
    private readonly deps: Pick<RunPlanOptions, 'appBaseUrl' | 'createWorker' | 'localModel'> & { device: () => Promise<DeviceReport> },
  ) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  async run(plan: Plan, onProgress?: (progress: RunProgress) => void): Promise<ResultsDocument> {
    return this.exclusive(onProgress, (options) => runPlan(plan, options));
  }

  /** Kernel profiles of the plan's cells, in runs of their own (never timed); replaces any current run like run() does. */
  async profile(plan: Plan, onProgress?: (progress: DiagnosticProgress) => void): Promise<KernelProfileOutcome[]> {
    return this.exclusive(onProgress, (options) => profilePlan(plan, options));
  }

  /** Harness overhead against a raw loop, per cell (the benchmark's entry point). */
  async overhead(plan: Plan, pairs?: number): Promise<OverheadOutcome[]> {
    return this.exclusive(undefined, (options) => overheadPlan(plan, { ...options, ...(pairs ? { pairs } : {}) }));
  }

  /**
   * Cancels the current run and starts `work` as the new one, with the
   * options every runner takes; progress from a replaced run is dropped.
   */
  private async exclusive<T, P extends { runId: number }>(
    onProgress: ((progress: P) => void) | undefined,
    work: (options: RunnerOptions<P>) => Promise<T>,
  ): Promise<T> {
    this.cancel();
    const runId = this.nextRunId++;
    const abort = new AbortController();
    this.current = { runId, abort };
    try {
      return await work({
        runId,
        appBaseUrl: this.deps.appBaseUrl,
        device: await this.deps.device(),
        createWorker: this.deps.createWorker,
        ...(this.deps.localModel ? { localModel: this.deps.localModel } : {}),
        signal: abort.signal,
        onProgress: (progress) => {
          if (this.current?.runId === progress.runId) onProgress?.(progress);
        },
      });
    } finally {
      if (this.current?.runId === runId) this.current = undefined;
    }
  }


  /** Stops the current run; its remaining cells come back `aborted`. */
  cancel(): boolean {
    if (!this.current) return false;
    this.current.abort.abort();
    this.current = undefined;
    return true;
  }
}
