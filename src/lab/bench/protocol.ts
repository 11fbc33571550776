/**
 * The measuring protocol: warm-up, then interleaved rounds of timed blocks.
 *
 * A cell's session stays warm in its own worker while the runner asks every
 * cell, in turn, for one block of samples per round (A B C, then B C A, …):
 * this machine's speed shifts 1.3–1.7× within seconds, so measuring one cell
 * after another would put each in a different host state, while interleaved
 * blocks spread the drift over every cell alike and let cells be compared by
 * per-round ratios (see ratios.ts).
 *
 * Within a block, one sample is one call — JS array in, outputs read back to
 * a JS array — unless a call is too short for the clock (under
 * `minTimerSteps` steps of `performance.now()`): then a sample times that many
 * back-to-back calls and records the mean per call, and the cell says so.
 *
 * Warm-up is its own phase (first runs pay for shader compilation, wasm
 * tier-up, allocation) and never enters the samples. Samples are kept raw, in
 * run order, per round: statistics, intervals, baseline comparisons and merges
 * across devices need them.
 */

/** How to warm up and sample. Times are in ms. */
export type BenchRules = {
  /** Warm-up runs at least this many calls per batch size... */
  readonly warmupIterations: number;
  /** ...and for at least this long (capped by blockMaxMs). */
  readonly warmupMinMs: number;
  /** Interleaved rounds: every cell × batch size gets one block per round. */
  readonly rounds: number;
  /** A block lasts at least this long... */
  readonly blockMinMs: number;
  /** ...and holds at least this many samples... */
  readonly blockMinSamples: number;
  /** ...but never more than this many samples... */
  readonly blockMaxSamples: number;
  /** ...nor (after its first sample) longer than this. */
  readonly blockMaxMs: number;
  /** A sample must span at least this many steps of the clock; faster calls are timed in back-to-back groups. */
  readonly minTimerSteps: number;
};

/**
 * Quick plan (CI, a live lecture): 6 rounds of ≥ 40 ms blocks, so a default
 * matrix of 20 cell × batch pairs samples for about 6 s, and 6 rounds are the
 * fewest for which a distribution-free interval on the round medians reaches
 * 95% (see statistics.ts, k_median_ci_min_n).
 */
export const QUICK_RULES: Readonly<BenchRules> = Object.freeze({
  warmupIterations: 3,
  warmupMinMs: 50,
  rounds: 6,
  blockMinMs: 40,
  blockMinSamples: 3,
  blockMaxSamples: 200,
  blockMaxMs: 1_000,
  minTimerSteps: 20,
});

/** Full matrix: 12 rounds of ≥ 150 ms blocks, enough for a P99 that means something. */
export const FULL_RULES: Readonly<BenchRules> = Object.freeze({
  warmupIterations: 10,
  warmupMinMs: 300,
  rounds: 12,
  blockMinMs: 150,
  blockMinSamples: 5,
  blockMaxSamples: 2_000,
  blockMaxMs: 5_000,
  minTimerSteps: 20,
});

/** The named rule sets, for plans and the UI (`keyof typeof` gives the names). */
export const BENCH_RULES = Object.freeze({ quick: QUICK_RULES, full: FULL_RULES });
export type BenchRulesName = keyof typeof BENCH_RULES;

/**
 * Checks that rules are usable; throws a RangeError naming the field, its
 * value and the constraint. Plans are validated at the boundary (zod); this
 * guards direct callers.
 */
export function validateBenchRules(rules: BenchRules): void {
  const counts = ['warmupIterations', 'rounds', 'blockMinSamples', 'blockMaxSamples', 'minTimerSteps'] as const;
  const times = ['warmupMinMs', 'blockMinMs', 'blockMaxMs'] as const;
  for (const key of counts) {
    const v = rules[key];
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`BenchRules.${key} must be a non-negative integer, got ${String(v)}`);
  }
  for (const key of times) {
    const v = rules[key];
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`BenchRules.${key} must be a finite number ≥ 0 (ms), got ${String(v)}`);
  }
  if (rules.rounds < 1) throw new RangeError(`BenchRules.rounds must be at least 1, got ${rules.rounds}`);
  if (rules.blockMaxSamples < 1) throw new RangeError(`BenchRules.blockMaxSamples must be at least 1, got ${rules.blockMaxSamples}`);
  if (rules.blockMinSamples > rules.blockMaxSamples) {
    throw new RangeError(`BenchRules.blockMinSamples (${rules.blockMinSamples}) must not exceed blockMaxSamples (${rules.blockMaxSamples})`);
  }
  if (rules.blockMinMs > rules.blockMaxMs) {
    throw new RangeError(`BenchRules.blockMinMs (${rules.blockMinMs}) must not exceed blockMaxMs (${rules.blockMaxMs})`);
  }
}

/**
 * Times one call of `fn` in ms: clock, await fn, clock.
 *
 * `fn` must not resolve before its outputs are on the CPU: GPU backends
 * return from `run` as soon as work is queued, so a timed span that does not
 * await the readback measures only the queueing.
 */
export async function timeOnce(fn: () => Promise<unknown>, now: () => number): Promise<number> {
  const start = now();
  await fn();
  return now() - start;
}

/** Warm-up: at least `warmupIterations` calls and `warmupMinMs`, never longer than `blockMaxMs` after the first call. */
export async function warmUp(fn: () => Promise<unknown>, rules: BenchRules, now: () => number): Promise<number[]> {
  const durations: number[] = [];
  const start = now();
  for (;;) {
    durations.push(await timeOnce(fn, now));
    const elapsed = now() - start;
    const enough = durations.length >= rules.warmupIterations && elapsed >= rules.warmupMinMs;
    if (enough || elapsed >= rules.blockMaxMs) return durations;
  }
}

/**
 * How many back-to-back calls one sample times so that it spans at least
 * `minTimerSteps` clock steps. `perCallMs` is the median warm-up call.
 */
export function callsPerSample(perCallMs: number, timerStepMs: number, minTimerSteps: number): number {
  const wanted = minTimerSteps * timerStepMs;
  if (!(perCallMs > 0)) return Math.max(1, minTimerSteps);
  return perCallMs >= wanted ? 1 : Math.ceil(wanted / perCallMs);
}

export interface BlockRequest {
  /** Back-to-back calls per sample to start with (the previous round's, or the calibration's). */
  callsPerSample: number;
  /** A sample must span at least this long (minTimerSteps clock steps); shorter ones are retried with more calls. */
  minSpanMs: number;
  minSamples: number;
  maxSamples: number;
  minMs: number;
  maxMs: number;
}

export interface BlockResult {
  /** Mean ms per call of each sample. */
  samplesMs: number[];
  /** Calls per sample in this block (the last one used; every kept sample used it). */
  callsPerSample: number;
}

/** Calls per sample never grow beyond this (a model that fast is far below any clock). */
export const k_max_calls_per_sample = 4096;

/** The block request for one cell × batch size under `rules`. */
export function blockRequest(rules: BenchRules, calls: number, timerStepMs: number): BlockRequest {
  return {
    callsPerSample: calls,
    minSpanMs: rules.minTimerSteps * timerStepMs,
    minSamples: rules.blockMinSamples,
    maxSamples: rules.blockMaxSamples,
    minMs: rules.blockMinMs,
    maxMs: rules.blockMaxMs,
  };
}

/**
 * One block: samples until both `minSamples` and `minMs` are reached, or a
 * cap. Each sample is the mean ms per call over `callsPerSample` back-to-back
 * calls. A sample shorter than `minSpanMs` is a few clock ticks, not a
 * measurement: it is dropped and the block continues with enough calls per
 * sample to span it (every kept sample of a block uses the same count).
 */
export async function runBlock(fn: () => Promise<unknown>, request: BlockRequest, now: () => number): Promise<BlockResult> {
  let samples: number[] = [];
  let calls = Math.max(1, request.callsPerSample);
  const start = now();
  for (;;) {
    const t0 = now();
    for (let i = 0; i < calls; i += 1) await fn();
    const t1 = now();
    const span = t1 - t0;
    const elapsed = t1 - start;
    if (span < request.minSpanMs && calls < k_max_calls_per_sample && elapsed < request.maxMs) {
      const perCall = span / calls;
      calls = Math.min(k_max_calls_per_sample, perCall > 0 ? Math.max(calls * 2, Math.ceil(request.minSpanMs / perCall)) : calls * 4);
      samples = [];
      continue;
    }
    samples.push(span / calls);
    if (samples.length >= request.maxSamples) break;
    if (samples.length >= request.minSamples && elapsed >= request.minMs) break;
    if (elapsed >= request.maxMs) break;
  }
  return { samplesMs: samples, callsPerSample: calls };
}

/**
 * The order in which cells take their block in round `round` (0-based):
 * a rotation, so each cell is first once every `count` rounds and no cell
 * always follows the same neighbour's warm caches.
 */
export function roundOrder(count: number, round: number): number[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`roundOrder: count must be a non-negative integer, got ${String(count)}`);
  return Array.from({ length: count }, (_, i) => (i + round) % count);
}
