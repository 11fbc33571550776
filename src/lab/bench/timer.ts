/**
 * Timer resolution disclosure.
 *
 * `performance.now()` is deliberately coarsened by browsers to blunt timing
 * side channels: roughly 100 µs (plus jitter) in Chrome without cross-origin
 * isolation, 5 µs with it; Firefox and Safari use 1 ms or 20 µs depending on
 * isolation and settings. A 0.3 ms model measured with a 0.1 ms clock has a
 * ±33% quantisation error per sample, so the lab records the step it saw
 * beside every timing instead of assuming one.
 */

/** Resolution samples taken by default. */
export const k_timer_default_samples = 200;

/**
 * Clock reads allowed while waiting for one step before giving up on that
 * sample. Reads take tens of nanoseconds, so this is milliseconds of real
 * time even for a 1 ms clock, yet it cannot hang on a clock that is stuck.
 */
export const k_timer_max_reads_per_sample = 1_000_000;

/**
 * Clock reads allowed over the whole measurement (all samples together), so
 * that a stuck or very coarse clock costs a bounded time, not samples ×
 * k_timer_max_reads_per_sample reads.
 */
export const k_timer_max_total_reads = 10_000_000;

export type TimerResolution = {
  /**
   * Smallest positive step seen between two consecutive distinct readings, in
   * ms. Infinity when the clock never moved (then `samples` is 0). With a
   * jittered clock this can be below the nominal resolution.
   */
  readonly stepMs: number;
  /** Steps actually observed (≤ the requested count when a bound cut it short). */
  readonly samples: number;
};

/**
 * Measures the smallest positive step of a clock: read it, spin until the
 * reading changes, record the difference; repeat and keep the minimum. The
 * minimum (not the mean) is the resolution, because a spin that was
 * descheduled can only see a larger step, never a smaller one.
 *
 * Bounded by `k_timer_max_reads_per_sample` and `k_timer_max_total_reads`,
 * so it returns even for a clock that never advances (it stops at the first
 * sample that saw no step).
 *
 * @param now the clock to measure; defaults to `performance.now`.
 * @param samples how many steps to observe (a positive integer).
 * @throws RangeError when `samples` is not a positive integer.
 */
export function measureTimerResolution(
  now: () => number = () => performance.now(),
  samples: number = k_timer_default_samples,
): TimerResolution {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(
      `measureTimerResolution: samples must be a positive integer, got ${String(samples)}`,
    );
  }
  let stepMs = Number.POSITIVE_INFINITY;
  let observed = 0;
  let reads = 0;
  for (let s = 0; s < samples && reads < k_timer_max_total_reads; s++) {
    const t0 = now();
    reads++;
    let changed = false;
    for (let r = 0; r < k_timer_max_reads_per_sample && reads < k_timer_max_total_reads; r++) {
      const t1 = now();
      reads++;
      if (t1 !== t0) {
        changed = true;
        // A clock that steps backwards (not performance.now, which is
        // monotonic) says nothing about resolution; skip that sample.
        if (t1 > t0) {
          observed++;
          if (t1 - t0 < stepMs) stepMs = t1 - t0;
        }
        break;
      }
    }
    // A clock that did not move within the per-sample budget will not move
    // in the next one either; stop rather than burn the rest of the budget.
    if (!changed) break;
  }
  return { stepMs, samples: observed };
}
