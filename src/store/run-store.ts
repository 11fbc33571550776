import { create } from 'zustand';
import type { RunWatcher } from '../lab/api/window-api';
import { appBaseUrl, observeApiRuns, runController, userModelRegistry } from '../lab/api/window-api';
import { fetchManifest } from '../lab/models/model-fetch';
import { planLoosening } from '../lab/runner/tolerance';
import type { PlanPreset } from '../lab/runner/plan-presets';
import { presetPlan } from '../lab/runner/plan-presets';
import type { EngineId } from '../lab/engines/engine-descriptors';
import type { Precision } from '../lab/engines/precision';
import type { ResultsDocument } from '../lab/results/results';
import type { DeviceReport } from '../lab/device/device-report';
import type { Plan } from '../lab/runner/plan';
import { crossCells, decodePlan, defaultPlan, encodePlan, parsePlan, precisionsOf } from '../lab/runner/plan';
import type { ModelFormat } from '../lab/models/model-formats';
import type { RunProgress } from '../lab/runner/run-plan';
import type { DiagnosticProgress } from '../lab/runner/diagnostic-cells';
import { profilingPlan } from '../lab/profiles/profile-plan';
import { userModelPlan } from '../lab/models/user/user-plan';
import type { RunRecordStatus } from '../lab/history/run-history';
import { errorMessage } from '../lab/util/errors';
import { recordRun } from './history-db';

type Status = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** Where the shown results come from when they were reopened from the history rather than run in this page. */
export interface ShownRun {
  runId: string;
  name: string;
  status: RunRecordStatus;
  /** Cells of its plan that never finished (a resume runs them). */
  remaining: number;
}

interface RunState {
  plan: Plan;
  status: Status;
  progress: RunProgress | null;
  /** Cells finished so far in the current run, shown while it goes on. */
  partial: ResultsDocument['cells'];
  results: ResultsDocument | null;
  error: string | null;
  /** A warning about the plan itself, e.g. a shared link that loosens the tolerance (it then does not start by itself). */
  planWarning: string | null;
  setPlan: (plan: Plan) => void;
  /** Replaces the plan with a named preset for the current model (built in the core). */
  applyPreset: (preset: PlanPreset, cores: number, device?: DeviceReport | null) => void;
  toggleEngine: (engine: EngineId, on: boolean) => void;
  togglePrecision: (precision: Precision, on: boolean) => void;
  /**
   * Reads ?plan= from the URL; resolves true when ?autorun=1 asks to start and
   * the plan does not loosen the model's tolerance (such a link only loads, with a warning).
   */
  loadFromUrl: (search: string) => Promise<boolean>;
  shareUrl: (location: Location) => string;
  run: () => Promise<void>;
  /** Kernel profiles of the last run's completed cells, added to its results. */
  profile: () => Promise<void>;
  profiling: DiagnosticProgress | null;
  cancel: () => void;
  /** A run reopened from the history (null for one run in this page). */
  shown: ShownRun | null;
  /** The history could not be written: the run goes on, but is not kept. */
  historyWarning: string | null;
  /** Shows a results document reopened from the history. */
  showRun: (results: ResultsDocument, shown: ShownRun) => void;
  /** Runs the plan's cells that an interrupted run left (its own run, kept as a resumption of that one). */
  runRest: (plan: Plan, resumes: string) => Promise<void>;
}

/** The model format of a user's model in the plan (its cells read it where they can), none for a zoo model. */
function userFormatOf(plan: Plan): ModelFormat | undefined {
  return plan.userModel ? (userModelRegistry.get(plan.modelId)?.manifest.userModel?.format ?? 'onnx') : undefined;
}

/** Which run the store is showing; answers from any other are stale. */
let runToken = 0;

async function looseningWarning(plan: Plan): Promise<string | null> {
  if (plan.tolerance === undefined) return null;
  try {
    const local = userModelRegistry.get(plan.modelId);
    const loosening = planLoosening(plan, local ? local.manifest : await fetchManifest(appBaseUrl(), plan.modelId));
    return loosening
      ? `This link sets a custom tolerance ${loosening.plan} (the model's manifest says ${loosening.manifest}): engines that answer less exactly would pass. It was not started automatically; every result it gives is labelled.`
      : null;
  } catch (error) {
    return `This link sets a custom tolerance, and the model's manifest could not be read to compare it (${errorMessage(error)}); it was not started automatically.`;
  }
}

/**
 * Shows a run in the page and keeps each finished cell in the history the moment it finishes (a reload
 * loses none); answers of a run replaced by a newer one (Run, Cancel, Run) are not this page's state any more.
 */
function watchRun(plan: Plan, resumes?: string): RunWatcher {
  const { setState: set } = useRunStore;
  const token = ++runToken;
  const recorder = recordRun(plan, (message) => set({ historyWarning: message }), resumes);
  set({ status: 'running', progress: null, partial: [], results: null, error: null, profiling: null, shown: null, historyWarning: null });
  return {
    progress: (progress) => {
      recorder.onProgress(progress);
      if (token === runToken) set((s) => ({ progress, partial: progress.result ? [...s.partial, progress.result] : s.partial }));
    },
    finished: (results) => {
      if (token === runToken) set({ results, status: results.status === 'cancelled' ? 'cancelled' : 'done' });
      return recorder.finish(results);
    },
    failed: (message) => {
      if (token === runToken) set({ status: 'failed', error: message });
      return recorder.fail(message);
    },
  };
}

/** Runs a plan from the page (Run, or the rest of an interrupted run). */
async function runAndRecord(plan: Plan, resumes?: string): Promise<void> {
  const watch = watchRun(plan, resumes);
  try {
    await watch.finished(await runController().run(plan, watch.progress));
  } catch (error) {
    await watch.failed(errorMessage(error));
  }
}

export const useRunStore = create<RunState>((set, get) => ({
  plan: defaultPlan(),
  status: 'idle',
  progress: null,
  partial: [],
  results: null,
  error: null,
  planWarning: null,
  profiling: null,
  shown: null,
  historyWarning: null,
  setPlan: (plan) => set({ plan: parsePlan(plan) }),
  applyPreset: (preset, cores, device) => {
    const { plan } = get();
    // A user's model keeps its SHA-256 record and its format through a preset.
    const user = userModelRegistry.get(plan.modelId);
    const format = user?.manifest.userModel?.format ?? 'onnx';
    const next =
      user && preset === 'quick'
        ? userModelPlan(user)
        : presetPlan(preset, plan.modelId, cores, { ...(device ? { device } : {}), ...(user && plan.userModel ? { user: { userModel: plan.userModel, format } } : {}) });
    set({ plan: next, planWarning: null });
  },
  toggleEngine: (engine, on) => {
    const { plan } = get();
    const engines = new Set(plan.cells.map((c) => c.engine));
    if (on) engines.add(engine);
    else engines.delete(engine);
    set({ plan: { ...plan, name: 'custom', cells: crossCells(plan, [...engines], precisionsOf(plan), userFormatOf(plan)) } });
  },
  togglePrecision: (precision, on) => {
    const { plan } = get();
    const precisions = new Set(precisionsOf(plan));
    if (on) precisions.add(precision);
    else precisions.delete(precision);
    set({ plan: { ...plan, name: 'custom', cells: crossCells(plan, [...new Set(plan.cells.map((c) => c.engine))], [...precisions], userFormatOf(plan)) } });
  },
  loadFromUrl: async (search) => {
    const params = new URLSearchParams(search);
    const encoded = params.get('plan');
    if (!encoded) return false;
    let plan: Plan;
    try {
      plan = decodePlan(encoded);
      set({ plan, error: null, planWarning: null });
    } catch (error) {
      set({ error: errorMessage(error) });
      return false;
    }
    // A plan for a user's model needs that file again (a link never carries it): no autorun until it is added.
    if (plan.userModel && !userModelRegistry.get(plan.modelId)) {
      set({ planWarning: `This link is for your model ${plan.userModel.fileName} (SHA-256 ${plan.userModel.sha256.slice(0, 12)}…): choose that file under “Your model”; the lab refuses a different one.` });
      return false;
    }
    const warning = await looseningWarning(plan);
    if (warning) set({ planWarning: warning });
    return params.get('autorun') === '1' && warning === null;
  },
  shareUrl: (location) => `${location.origin}${location.pathname}?plan=${encodePlan(get().plan)}`,
  run: async () => runAndRecord(get().plan),
  runRest: async (plan, resumes) => runAndRecord(plan, resumes),
  showRun: (results, shown) => {
    ++runToken;
    set({ results, shown, partial: [], progress: null, error: null, profiling: null, status: shown.status === 'complete' ? 'done' : shown.status === 'failed' ? 'failed' : 'cancelled' });
  },
  profile: async () => {
    const { results } = get();
    const plan = results ? profilingPlan(results) : null;
    if (!results || !plan) return;
    const token = ++runToken;
    set({ profiling: { runId: 0, cellIndex: 0, cellCount: plan.cells.length }, error: null });
    try {
      const profiles = await runController().profile(plan, (progress) => {
        if (token === runToken) set({ profiling: progress });
      });
      // The timings stay as measured; the profiles are added beside them.
      if (token === runToken) set((s) => ({ profiling: null, results: s.results === results ? { ...results, profiles } : s.results }));
    } catch (error) {
      if (token === runToken) set({ profiling: null, error: errorMessage(error) });
    }
  },
  cancel: () => {
    runController().cancel();
  },
}));

// A run started through window.inferenceLab.run() (a script, the CLI) shows in the page like one started with Run.
observeApiRuns((plan) => {
  useRunStore.setState({ plan });
  return watchRun(plan);
});
