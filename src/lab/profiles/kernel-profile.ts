/**
 * Kernel profiles: where a cell's time goes, operator by operator. Measured
 * in runs of their own (a fresh worker, a session created with the engine's
 * profiler on), never in timing runs: profilers add work to every kernel, so
 * their totals are shares of a profiled run, not latencies to compare.
 */

/** Which profiler produced the kernel times: each measures a different span. */
export type ProfileSource =
  /** onnxruntime's own session profiler: wall time of each node's kernel on the CPU (µs). */
  | 'ort-session-profiler'
  /** onnxruntime-web's WebGPU profiling callback: GPU timestamp queries around each dispatched program. */
  | 'ort-webgpu-profiling'
  /** `tf.profile`: per-kernel time as the backend reports it (CPU timers on cpu/wasm, GPU timer queries on webgl/webgpu). */
  | 'tfjs-profile';

/** One kernel timing as an engine's profiler reports it, over all profiled runs. */
export interface KernelTiming {
  /** Operator type (e.g. "FusedConv", "MatMul"); several nodes of one type add up. */
  name: string;
  ms: number;
}

/** What an engine session hands back from a profiled burst of runs. */
export interface ProfiledRuns {
  source: ProfileSource;
  /** Runs the timings cover (warm-up runs of the profiling session excluded). */
  runs: number;
  timings: KernelTiming[];
  /** The last profiled run's outputs: checked against the cell's checked outputs before anything is shown. */
  output: Float32Array;
  /** What the profiler cannot see, in words (e.g. kernels without timer queries). */
  note?: string;
}

export interface KernelShare {
  name: string;
  /** Kernel time per run, ms. */
  msPerRun: number;
  /** Nodes of this type executed per run. */
  callsPerRun: number;
  /** Fraction of all kernel time in the profiled runs (0..1). */
  share: number;
}

export interface KernelSummary {
  source: ProfileSource;
  runs: number;
  /** Sum of all kernel time per run, ms: what the profiler saw, not the cell's latency. */
  kernelMsPerRun: number;
  /** The top kernels by time; `others` holds the rest. */
  top: KernelShare[];
  others: { kinds: number; share: number };
  note?: string;
}

/** How many kernel types a summary names before folding the rest into "others". */
export const k_top_kernels = 8;

/** Folds raw timings into per-type shares, largest first (ties by name, so the order is stable). */
export function summariseKernels(profiled: Omit<ProfiledRuns, 'output'>, top = k_top_kernels): KernelSummary {
  if (profiled.runs < 1) throw new RangeError('A kernel profile needs at least one run');
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const t of profiled.timings) {
    if (!(t.ms >= 0) || !Number.isFinite(t.ms)) continue;
    const entry = byName.get(t.name) ?? { ms: 0, calls: 0 };
    entry.ms += t.ms;
    entry.calls += 1;
    byName.set(t.name, entry);
  }
  const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
  const ranked = [...byName.entries()]
    .map(([name, e]) => ({ name, msPerRun: e.ms / profiled.runs, callsPerRun: e.calls / profiled.runs, share: total > 0 ? e.ms / total : 0 }))
    .sort((a, b) => b.msPerRun - a.msPerRun || a.name.localeCompare(b.name));
  const head = ranked.slice(0, top);
  const tail = ranked.slice(top);
  return {
    source: profiled.source,
    runs: profiled.runs,
    kernelMsPerRun: total / profiled.runs,
    top: head,
    others: { kinds: tail.length, share: tail.reduce((s, k) => s + k.share, 0) },
    ...(profiled.note ? { note: profiled.note } : {}),
  };
}

/** One cell's profile as the results document keeps it. */
export type KernelProfileOutcome = {
  cellId: string;
  engine: string;
  precision: string;
  batchSize: number;
} & (
  | {
      state: 'profiled';
      summary: KernelSummary;
      /** The profiling session's outputs against the cell's checked session on the same input. */
      check: { maxAbsDiff: number; tolerance: number };
    }
  /** The engine positively has no profiler, or the cell itself is unavailable here. */
  | { state: 'unavailable'; reason: string }
  | { state: 'errored'; message: string }
  | { state: 'aborted'; reason: string }
);

/** What each profiler's times mean, in plain words (UI, report). */
export const PROFILE_SOURCE_WORDS: Readonly<Record<ProfileSource, string>> = Object.freeze({
  'ort-session-profiler': "onnxruntime's session profiler: time inside each node's kernel, as the calling thread saw it",
  'ort-webgpu-profiling': "onnxruntime-web's WebGPU profiling: GPU timestamps around each program",
  'tfjs-profile': "tf.profile: each kernel's time as its backend reports it",
});

export const k_profile_disclosure =
  'Kernel profiles come from profiling runs of their own, never from the timing runs: a profiler adds work to every kernel, so read the shares, not the absolute times. Each profiled session first matched the checked session\'s outputs on the same input.';
