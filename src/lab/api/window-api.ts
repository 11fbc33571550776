import type { OverheadOutcome } from '../bench/overhead-plan';
import type { CeilingReport } from '../device/ceilings/ceilings';
import type { DeviceReport } from '../device/device-report';
import { getDeviceReport } from '../device/probe';
import type { ZooEntry } from '../models/zoo';
import type { KernelProfileOutcome } from '../profiles/kernel-profile';
import type { DiagnosticProgress } from '../runner/diagnostic-cells';
import { listZoo } from '../models/zoo';
import type { ResultsDocument } from '../results/results';
import type { Plan } from '../runner/plan';
import { defaultPlan, parsePlan } from '../runner/plan';
import { RunController } from '../runner/run-controller';
import type { RunProgress } from '../runner/run-plan';
import { createCellWorker } from '../runner/worker-factory';
import { errorMessage } from '../util/errors';

/**
 * The headless contract: what tests, the regression CLI and the page itself use.
 * Everything it takes and returns is plain JSON.
 */
export interface InferenceLabApi {
  version: string;
  capabilities(): Promise<DeviceReport>;
  /** Measures the device's arithmetic ceilings (seconds of every core at full load; WebGPU n/a with the reason where there is no adapter). */
  ceilings(): Promise<CeilingReport>;
  models(): Promise<ZooEntry[]>;
  defaultPlan(modelId?: string): Plan;
  /** Validates the plan (throws naming the bad field), then runs it. */
  run(plan: unknown, onProgress?: (progress: RunProgress) => void): Promise<ResultsDocument>;
  /**
   * Kernel profiles for the plan's cells (validated like run()), each in a
   * fresh profiling worker after the golden check: where the time goes, as shares.
   */
  profile(plan: unknown, onProgress?: (progress: DiagnosticProgress) => void): Promise<KernelProfileOutcome[]>;
  /** Benchmark entry: the lab's sample against a raw loop on the same session, per cell. */
  harnessOverhead(plan: unknown, pairs?: number): Promise<OverheadOutcome[]>;
  /** Cancels the current run; returns false when nothing was running. */
  cancel(): boolean;
}

declare global {
  interface Window {
    inferenceLab?: InferenceLabApi;
  }
}

/** The app's root URL (relative base: works at / and under any sub-path). */
export function appBaseUrl(): string {
  return new URL(import.meta.env.BASE_URL, document.baseURI).href;
}

let controller: RunController | undefined;

/** What the page shows of a run it did not start itself (one started through window.inferenceLab.run()). */
export interface RunWatcher {
  progress: (progress: RunProgress) => void;
  finished: (results: ResultsDocument) => void;
  failed: (message: string) => void;
}

/** The page's UI, when there is one: told of every API run so it shows what the API is doing instead of "Ready". */
let apiRunObserver: ((plan: Plan) => RunWatcher) | undefined;

export function observeApiRuns(observer: (plan: Plan) => RunWatcher): void {
  apiRunObserver = observer;
}

async function runFromApi(input: unknown, onProgress?: (progress: RunProgress) => void): Promise<ResultsDocument> {
  const plan = parsePlan(input);
  const watcher = apiRunObserver?.(plan);
  try {
    const results = await runController().run(plan, (progress) => {
      watcher?.progress(progress);
      onProgress?.(progress);
    });
    watcher?.finished(results);
    return results;
  } catch (error) {
    watcher?.failed(errorMessage(error));
    throw error;
  }
}

export function runController(): RunController {
  controller ??= new RunController({ appBaseUrl: appBaseUrl(), device: getDeviceReport, createWorker: createCellWorker });
  return controller;
}

export function createApi(): InferenceLabApi {
  return {
    version: __APP_VERSION__,
    capabilities: getDeviceReport,
    ceilings: async () => {
      const [{ measureCeilings }, report] = await Promise.all([import('../device/ceilings/measure-ceilings'), getDeviceReport()]);
      return measureCeilings(report.hardwareConcurrency);
    },
    models: () => listZoo(appBaseUrl()),
    defaultPlan: (modelId) => defaultPlan(modelId),
    run: runFromApi,
    profile: async (plan, onProgress) => runController().profile(parsePlan(plan), onProgress),
    harnessOverhead: async (plan, pairs) => runController().overhead(parsePlan(plan), pairs),
    cancel: () => runController().cancel(),
  };
}

export function installWindowApi(target: Window = window): InferenceLabApi {
  const api = createApi();
  target.inferenceLab = api;
  return api;
}
