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
import { addUserModel, type AddModelOptions, type DataInput, type ModelSourceInput } from '../models/user/add-model';
import { createIntakeWorker } from '../models/user/intake-client';
import type { ModelCard } from '../models/user/model-card';
import { UserModelRegistry } from '../models/user/user-models';
import { userModelPlan } from '../models/user/user-plan';
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
  /**
   * Takes in a model you bring (an ONNX file, or a TF.js model.json with its
   * weight files), reads its card, computes its reference in this page (or
   * takes native goldens in `options.reference`), makes its variants, and
   * registers it under `modelId` for any plan. Nothing leaves the page.
   * @throws an Error named UserInputError with a `problem` kind and a message naming it.
   */
  addModel(source: ModelSourceInput | readonly ModelSourceInput[], options?: AddModelOptions): Promise<{ modelId: string; card: ModelCard }>;
  /** The models added in this page: id, file name, SHA-256 and card. */
  userModels(): { modelId: string; fileName: string; sha256: string; card: ModelCard }[];
  /** The quick plan for a zoo model, or for a model added in this page (its own format, its variants). */
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

/** The models users brought into this page (the runner hands their files to each cell's worker). */
export const userModelRegistry = new UserModelRegistry();

/** What the page shows of a run it did not start itself (one started through window.inferenceLab.run()). */
export interface RunWatcher {
  progress: (progress: RunProgress) => void;
  /** Settles once the page has kept the outcome (its history), so a script that reloads next finds the run finished, not interrupted. */
  finished: (results: ResultsDocument) => Promise<void>;
  failed: (message: string) => Promise<void>;
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
    await watcher?.finished(results);
    return results;
  } catch (error) {
    await watcher?.failed(errorMessage(error));
    throw error;
  }
}

export function runController(): RunController {
  controller ??= new RunController({ appBaseUrl: appBaseUrl(), device: getDeviceReport, createWorker: createCellWorker, localModel: (id) => userModelRegistry.local(id) });
  return controller;
}

/** What the browser says about its memory (Chromium: GiB, rounded, at most 8); the intake sizes its limit by it. */
export function deviceMemoryGiB(): number | undefined {
  return (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
}

/** The page's way into the intake: the API and the UI both call it. */
export function addModelInPage(source: ModelSourceInput | readonly ModelSourceInput[], options: AddModelOptions = {}, hooks: Pick<Parameters<typeof addUserModel>[2], 'onProgress' | 'onCard'> = {}) {
  const memory = deviceMemoryGiB();
  return addUserModel(source, options, { createWorker: createIntakeWorker, appBaseUrl: appBaseUrl(), registry: userModelRegistry, ...(memory ? { deviceMemoryGiB: memory } : {}), ...hooks });
}

export type { AddModelOptions, DataInput, ModelSourceInput };

export function createApi(): InferenceLabApi {
  return {
    version: __APP_VERSION__,
    capabilities: getDeviceReport,
    ceilings: async () => {
      const [{ measureCeilings }, report] = await Promise.all([import('../device/ceilings/measure-ceilings'), getDeviceReport()]);
      return measureCeilings(report.hardwareConcurrency);
    },
    models: () => listZoo(appBaseUrl()),
    addModel: async (source, options) => {
      const { modelId, card } = await addModelInPage(source, options);
      return { modelId, card };
    },
    userModels: () => userModelRegistry.list().map(({ modelId, fileName, sha256, card }) => ({ modelId, fileName, sha256, card })),
    defaultPlan: (modelId) => {
      const user = modelId ? userModelRegistry.get(modelId) : undefined;
      return user ? userModelPlan(user) : defaultPlan(modelId);
    },
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
