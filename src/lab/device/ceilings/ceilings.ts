/**
 * The device's own arithmetic ceilings, measured in the page: what the
 * roofline puts every cell's achieved GFLOP/s against. A ceiling is the best
 * of k_ceiling_repeats timed runs (a ceiling is a maximum, and a slow repeat
 * only says the host was busy), and each run's answer is checked against the
 * value the arithmetic must give.
 */
import type { Capability } from '../device-report';

export const k_ceiling_repeats = 3;
/** Aim for runs this long: long enough for a 5–100 µs clock, short enough to measure every thread count in seconds. */
export const k_ceiling_target_ms = 150;

export interface WasmCeilingPoint {
  threads: number;
  /** Best of the repeats. */
  gflops: number;
  /** Every repeat, GFLOP/s. */
  repeats: number[];
}

export interface WasmSimdCeiling {
  kernel: string;
  points: WasmCeilingPoint[];
}

export interface WebGpuCeiling {
  kernel: string;
  gflops: number;
  repeats: number[];
  adapter: string;
  /** A software adapter (SwiftShader): a code-path proof, not a hardware figure. */
  software: boolean;
}

export interface CeilingReport {
  measuredAt: string;
  wasmSimd: Capability<WasmSimdCeiling>;
  webgpu: Capability<WebGpuCeiling>;
}

/** Best (largest) of the repeats. */
export function bestOf(repeats: readonly number[]): number {
  return repeats.reduce((a, b) => Math.max(a, b), 0);
}

/** Iterations for the target duration, from one calibration run; at least 1, at most 2^31 − 1 (the kernel's i32). */
export function calibratedIterations(calibrationIterations: number, calibrationMs: number, targetMs = k_ceiling_target_ms): number {
  if (!(calibrationMs > 0)) return calibrationIterations * 16;
  return Math.min(2 ** 31 - 1, Math.max(1, Math.round((calibrationIterations * targetMs) / calibrationMs)));
}

/** GFLOP/s of `threads` workers that each did `flops` FLOPs, judged by the slowest (they ran at once). */
export function aggregateGflops(flopsPerWorker: number, msPerWorker: readonly number[]): number {
  const slowest = Math.max(...msPerWorker);
  return slowest > 0 ? (flopsPerWorker * msPerWorker.length) / (slowest * 1e6) : 0;
}

/**
 * A note when more threads measured no faster than fewer: the cores were
 * shared with other work (or are not all real cores), so the multi-thread
 * ceilings understate the hardware. Null when the figures rise with threads.
 */
export function threadScalingNote(points: readonly WasmCeilingPoint[]): string | null {
  let best: WasmCeilingPoint | undefined;
  for (const p of points) {
    if (best && p.gflops <= best.gflops) {
      return `${p.threads} threads measured ${p.gflops.toPrecision(3)} GFLOP/s, no more than ${best.threads} thread${best.threads > 1 ? 's' : ''} (${best.gflops.toPrecision(3)}): other work shared the cores, or some are not real cores, so the multi-thread ceilings understate this hardware.`;
    }
    if (!best || p.gflops > best.gflops) best = p;
  }
  return null;
}
