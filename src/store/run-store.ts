import { create } from 'zustand';
import { runController } from '../lab/api/window-api';
import type { EngineId } from '../lab/engines/engine-descriptors';
import { ENGINE_IDS } from '../lab/engines/engine-descriptors';
import type { Precision } from '../lab/engines/precision';
import { PRECISIONS } from '../lab/engines/precision';
import type { ResultsDocument } from '../lab/results/results';
import type { Plan } from '../lab/runner/plan';
import { decodePlan, defaultPlan, encodePlan, parsePlan } from '../lab/runner/plan';
import type { RunProgress } from '../lab/runner/run-plan';
import { errorMessage } from '../lab/util/errors';

type Status = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

interface RunState {
  plan: Plan;
  status: Status;
  progress: RunProgress | null;
  /** Cells finished so far in the current run, shown while it goes on. */
  partial: ResultsDocument['cells'];
  results: ResultsDocument | null;
  error: string | null;
  setPlan: (plan: Plan) => void;
  toggleEngine: (engine: EngineId, on: boolean) => void;
  togglePrecision: (precision: Precision, on: boolean) => void;
  /** Reads ?plan= from the URL; returns true when ?autorun=1 asks to start. */
  loadFromUrl: (search: string) => boolean;
  shareUrl: (location: Location) => string;
  run: () => Promise<void>;
  cancel: () => void;
}

function precisionsOf(plan: Plan): Precision[] {
  return [...new Set(plan.cells.map((c) => c.precision))];
}

/** Every chosen engine at every chosen precision, in the registry's order; keeps at least one cell. */
function crossCells(plan: Plan, engines: EngineId[], precisions: Precision[]): Plan['cells'] {
  const cells = ENGINE_IDS.filter((e) => engines.includes(e)).flatMap((engine) =>
    PRECISIONS.filter((p) => precisions.includes(p)).map((precision) => ({ engine, precision, fidelity: true })),
  );
  return cells.length > 0 ? cells : plan.cells;
}

export const useRunStore = create<RunState>((set, get) => ({
  plan: defaultPlan(),
  status: 'idle',
  progress: null,
  partial: [],
  results: null,
  error: null,
  setPlan: (plan) => set({ plan: parsePlan(plan) }),
  toggleEngine: (engine, on) => {
    const { plan } = get();
    const engines = new Set(plan.cells.map((c) => c.engine));
    if (on) engines.add(engine);
    else engines.delete(engine);
    set({ plan: { ...plan, cells: crossCells(plan, [...engines], precisionsOf(plan)) } });
  },
  togglePrecision: (precision, on) => {
    const { plan } = get();
    const precisions = new Set(precisionsOf(plan));
    if (on) precisions.add(precision);
    else precisions.delete(precision);
    set({ plan: { ...plan, cells: crossCells(plan, [...new Set(plan.cells.map((c) => c.engine))], [...precisions]) } });
  },
  loadFromUrl: (search) => {
    const params = new URLSearchParams(search);
    const encoded = params.get('plan');
    if (!encoded) return false;
    try {
      set({ plan: decodePlan(encoded), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
      return false;
    }
    return params.get('autorun') === '1';
  },
  shareUrl: (location) => `${location.origin}${location.pathname}?plan=${encodePlan(get().plan)}`,
  run: async () => {
    set({ status: 'running', progress: null, partial: [], results: null, error: null });
    try {
      const results = await runController().run(get().plan, (progress) =>
        set((s) => ({ progress, partial: progress.result ? [...s.partial, progress.result] : s.partial })),
      );
      set({ results, status: results.status === 'cancelled' ? 'cancelled' : 'done' });
    } catch (error) {
      set({ status: 'failed', error: errorMessage(error) });
    }
  },
  cancel: () => {
    runController().cancel();
  },
}));
