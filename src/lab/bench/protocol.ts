/**
 * The measuring loop: warm-up, then timed samples until enough evidence.
 *
 * Follows tinybench: warm-up is its own phase and its durations never enter
 * the samples (first runs pay for shader compilation, wasm tier-up, buffer
 * allocation); sampling stops only when BOTH a minimum count and a minimum
 * time are reached (a count alone under-samples fast models' periodic noise,
 * a time alone leaves slow models with two samples); hard caps bound every
 * run; an `AbortSignal` cancels between iterations.
 *
 * Samples are returned raw, in run order: statistics, intervals, baseline
 * comparisons and merges across devices all need them, and run order is
 * what reveals drift such as thermal throttling.
 */

import { createAbortError } from '../util/errors';

/** How long to warm up and how much to sample. Times are in ms. */
export type BenchRules = {
  /** Warm-up runs at least this many iterations... */
  readonly warmupIterations: number;
  /** ...and for at least this long. */
  readonly warmupMinMs: number;
  /** Sampling continues until at least this many samples... */
  readonly minSamples: number;
  /** ...and at least this much wall time (both are needed). */
  readonly minTimeMs: number;
  /** Hard cap on samples (and, separately, on warm-up iterations). */
  readonly maxSamples: number;
  /** Hard cap on wall time of sampling (and, separately, of warm-up). */
  readonly maxTimeMs: number;
};

/**
 * Quick plan (CI, a live lecture; about a minute for the default matrix):
 * a cell costs at most ~2 s of sampling, yet never fewer than 10 samples
 * over 200 ms when the model is fast enough to allow them.
 */
export const QUICK_RULES: Readonly<BenchRules> = Object.freeze({
  warmupIterations: 3,
  warmupMinMs: 100,
  minSamples: 10,
  minTimeMs: 200,
  maxSamples: 200,
  maxTimeMs: 2_000,
});

/**
 * Full matrix: at least 50 samples over 1 s, enough for a p99 that means
 * something and a tight median interval; capped at 2000 samples or 10 s.
 */
export const FULL_RULES: Readonly<BenchRules> = Object.freeze({
  warmupIterations: 10,
  warmupMinMs: 500,
  minSamples: 50,
  minTimeMs: 1_000,
  maxSamples: 2_000,
  maxTimeMs: 10_000,
});

/** The named rule sets, for plans and the UI (`keyof typeof` gives the names). */
export const BENCH_RULES = Object.freeze({ quick: QUICK_RULES, full: FULL_RULES });
export type BenchRulesName = keyof typeof BENCH_RULES;

/**
 * Wall time between yields to the event loop, in ms. A loop whose `fn`
 * resolves through microtasks only would otherwise never let a worker
 * receive its cancel message; yielding happens between samples, outside
 * any timed span, so it costs wall time, never sample accuracy.
 */
export const k_yield_interval_ms = 50;

/**
 * Checks that rules are usable; throws a RangeError naming the field, its
 * value and the constraint. Plans are validated at the boundary (zod); this
 * guards direct callers and keeps the loop's termination argument sound.
 */
export function validateBenchRules(rules: BenchRules): void {
  const counts = ['warmupIterations', 'minSamples', 'maxSamples'] as const;
  const times = ['warmupMinMs', 'minTimeMs', 'maxTimeMs'] as const;
  for (const key of counts) {
    const v = rules[key];
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`BenchRules.${key} must be a non-negative integer, got ${String(v)}`);
    }
  }
  for (const key of times) {
    const v = rules[key];
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`BenchRules.${key} must be a finite number ≥ 0 (ms), got ${String(v)}`);
    }
  }
  if (rules.maxSamples < 1) {
    throw new RangeError(`BenchRules.maxSamples must be at least 1, got ${rules.maxSamples}`);
  }
  if (rules.minSamples > rules.maxSamples) {
    throw new RangeError(
      `BenchRules.minSamples (${rules.minSamples}) must not exceed maxSamples (${rules.maxSamples})`,
    );
  }
  if (rules.minTimeMs > rules.maxTimeMs) {
    throw new RangeError(
      `BenchRules.minTimeMs (${rules.minTimeMs}) must not exceed maxTimeMs (${rules.maxTimeMs})`,
    );
  }
  if (rules.warmupIterations > rules.maxSamples) {
    throw new RangeError(
      `BenchRules.warmupIterations (${rules.warmupIterations}) must not exceed maxSamples (${rules.maxSamples})`,
    );
  }
  if (rules.warmupMinMs > rules.maxTimeMs) {
    throw new RangeError(
      `BenchRules.warmupMinMs (${rules.warmupMinMs}) must not exceed maxTimeMs (${rules.maxTimeMs})`,
    );
  }
}

/** Why sampling ended. */
export type StopReason =
  /** Both minSamples and minTimeMs were reached (the normal case). */
  | 'min-reached'
  /** maxSamples was hit before minTimeMs. */
  | 'max-samples'
  /** maxTimeMs was hit before minSamples: the model is slow for these rules. */
  | 'max-time';

export type TimedLoopOptions = {
  /** Cancels between iterations; the loop then rejects with an AbortError. */
  readonly signal?: AbortSignal | undefined;
  /** The clock, in ms; defaults to `performance.now`. Injected by tests. */
  readonly now?: (() => number) | undefined;
  /**
   * Called after every sample (never inside a timed span) with the samples
   * done and the current estimate of the total. The estimate follows the
   * observed pace and may move; the last call has target === done. Throttle
   * in the callback if posting messages per sample is too chatty.
   */
  readonly onProgress?: ((done: number, target: number) => void) | undefined;
  /**
   * How to give the event loop a turn (see k_yield_interval_ms). Defaults
   * to a zero-delay `setTimeout`.
   */
  readonly yieldToEventLoop?: (() => Promise<void>) | undefined;
};

export type TimedLoopResult = {
  /** Warm-up durations in ms, in run order; not part of the samples. */
  readonly warmup: number[];
  /** Sample durations in ms, raw and in run order. */
  readonly samples: number[];
  readonly stoppedBy: StopReason;
};

const defaultNow = (): number => performance.now();

const defaultYield = (): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, 0);
  });

/**
 * Times one call of `fn` in ms: clock, await fn, clock.
 *
 * `fn` must not resolve before its outputs are on the CPU: GPU backends
 * (WebGL, WebGPU) return from `run` as soon as work is queued, so a timed
 * span that does not await the readback measures only the queueing.
 * Errors from `fn` propagate unchanged.
 */
export async function timeOnce(
  fn: () => Promise<unknown>,
  now: () => number = defaultNow,
): Promise<number> {
  const start = now();
  await fn();
  return now() - start;
}

/**
 * Runs warm-up, then the timed loop, under `rules`.
 *
 * `fn` is one complete inference as the user would feel it: run AND await
 * reading the outputs back to the CPU inside `fn` (see `timeOnce`).
 *
 * Warm-up runs until it has done `warmupIterations` and spent
 * `warmupMinMs`, or until it hits the caps (`maxSamples` iterations or
 * `maxTimeMs`, counted for warm-up alone). Sampling then runs until it has
 * `minSamples` samples AND has spent `minTimeMs` of wall time ('min-reached'),
 * or hits `maxSamples` ('max-samples') or `maxTimeMs` ('max-time'); when a
 * minimum and a cap are met by the same sample, 'min-reached' wins. Elapsed
 * time is wall time from the start of the phase to the end of the latest
 * sample, so it includes loop overhead and yields, as a user waits for it.
 *
 * Cancellation is checked before every iteration: an in-flight `fn` is
 * awaited, never abandoned (overlapping runs on one wasm or WebGPU runtime
 * are not allowed), then the loop rejects with an Error named 'AbortError'.
 * An aborted loop returns nothing: its partial samples are discarded, since
 * they were not gathered under the rules the results file would claim.
 *
 * @throws RangeError for invalid rules (see validateBenchRules); AbortError
 *   when aborted; whatever `fn` throws.
 */
export async function runTimedLoop(
  fn: () => Promise<unknown>,
  rules: BenchRules,
  opts: TimedLoopOptions = {},
): Promise<TimedLoopResult> {
  validateBenchRules(rules);
  const now = opts.now ?? defaultNow;
  const yieldToEventLoop = opts.yieldToEventLoop ?? defaultYield;
  const { signal, onProgress } = opts;

  const warmup: number[] = [];
  const samples: number[] = [];

  const throwIfAborted = (): void => {
    if (signal?.aborted === true) {
      throw createAbortError(
        `Benchmark aborted after ${warmup.length} warm-up runs and ${samples.length} samples`,
      );
    }
  };

  let lastYield = now();
  const maybeYield = async (at: number): Promise<void> => {
    if (at - lastYield >= k_yield_interval_ms) {
      await yieldToEventLoop();
      lastYield = now();
    }
  };

  // Warm-up phase.
  throwIfAborted();
  const warmupStart = now();
  let warmupElapsed = 0;
  while (
    !(warmup.length >= rules.warmupIterations && warmupElapsed >= rules.warmupMinMs) &&
    warmup.length < rules.maxSamples &&
    warmupElapsed < rules.maxTimeMs
  ) {
    const start = now();
    await fn();
    const end = now();
    warmup.push(end - start);
    warmupElapsed = end - warmupStart;
    await maybeYield(end);
    throwIfAborted();
  }

  // Sampling phase.
  const sampleStart = now();
  for (;;) {
    throwIfAborted();
    const start = now();
    await fn();
    const end = now();
    samples.push(end - start);
    const done = samples.length;
    const elapsed = end - sampleStart;

    let stoppedBy: StopReason | undefined;
    if (done >= rules.minSamples && elapsed >= rules.minTimeMs) stoppedBy = 'min-reached';
    else if (done >= rules.maxSamples) stoppedBy = 'max-samples';
    else if (elapsed >= rules.maxTimeMs) stoppedBy = 'max-time';

    if (stoppedBy !== undefined) {
      onProgress?.(done, done);
      return { warmup, samples, stoppedBy };
    }
    onProgress?.(done, estimateTarget(done, elapsed, rules));
    await maybeYield(end);
  }
}

/**
 * Expected total samples at the pace seen so far: enough for both minimums,
 * no more than either cap allows, and always more than `done` (another
 * sample is coming).
 */
function estimateTarget(done: number, elapsedMs: number, rules: BenchRules): number {
  const perSample = elapsedMs / done;
  const forMinTime = perSample > 0 ? Math.ceil(rules.minTimeMs / perSample) : rules.maxSamples;
  const withinMaxTime = perSample > 0 ? Math.floor(rules.maxTimeMs / perSample) : rules.maxSamples;
  const wanted = Math.max(rules.minSamples, forMinTime);
  return Math.max(done + 1, Math.min(rules.maxSamples, withinMaxTime, wanted));
}
