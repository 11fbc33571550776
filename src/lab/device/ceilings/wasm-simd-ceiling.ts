/**
 * The wasm-SIMD ceiling per thread count: 1 … hardwareConcurrency workers run
 * the multiply-add kernel at once (wasm-simd-kernel.ts); GFLOP/s of a thread
 * count is the best of k_ceiling_repeats runs. Every run's answer is checked
 * against the float32 value the arithmetic must give.
 */
import { errorMessage } from '../../util/errors';
import type { Capability } from '../device-report';
import { available, unavailable } from '../device-report';
import type { CeilingReply } from './ceiling-protocol';
import { aggregateGflops, bestOf, calibratedIterations, k_ceiling_repeats, threadScalingNote, type WasmCeilingPoint, type WasmSimdCeiling } from './ceilings';
import { expectedKernelResult, k_accumulators, k_flops_per_iteration, wasmSimdKernelBytes } from './wasm-simd-kernel';

const k_calibration_iterations = 1_000_000;
const k_worker_timeout_ms = 20_000;

export const k_wasm_kernel_text = `${k_accumulators} independent f32x4 accumulators, acc = acc × m + c (f32x4.mul + f32x4.add, ${k_flops_per_iteration} FLOPs per loop), one worker per thread, all at once`;

class CeilingWorker {
  private readonly worker = new Worker(new URL('./wasm-simd-worker.ts', import.meta.url), { type: 'module', name: 'inference-lab-ceiling' });
  private pending: { resolve: (r: CeilingReply) => void; reject: (e: Error) => void } | undefined;
  readonly ready: Promise<void>;

  constructor() {
    this.ready = this.next().then((r) => {
      if (r.type !== 'ready') throw new Error(r.type === 'error' ? r.message : `unexpected ${r.type}`);
    });
    this.worker.onmessage = (e: MessageEvent<CeilingReply>) => this.pending?.resolve(e.data);
    this.worker.onerror = (e) => this.pending?.reject(new Error(e.message || 'the ceiling worker failed'));
  }

  private next(): Promise<CeilingReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the ceiling worker did not answer')), k_worker_timeout_ms);
      this.pending = {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    });
  }

  async run(iterations: number): Promise<number> {
    const answer = this.next();
    this.worker.postMessage({ type: 'run', iterations });
    const r = await answer;
    if (r.type !== 'done') throw new Error(r.type === 'error' ? r.message : `unexpected ${r.type}`);
    const expected = expectedKernelResult(iterations);
    if (r.result !== expected) throw new Error(`the SIMD kernel answered ${r.result}, the arithmetic gives ${expected}`);
    return r.ms;
  }

  terminate(): void {
    this.worker.terminate();
  }
}

async function measureThreads(threads: number, iterations: number): Promise<WasmCeilingPoint> {
  const workers = Array.from({ length: threads }, () => new CeilingWorker());
  try {
    await Promise.all(workers.map((w) => w.ready));
    await Promise.all(workers.map((w) => w.run(Math.max(1, Math.round(iterations / 10))))); // warm-up: tier-up, caches
    const repeats: number[] = [];
    for (let r = 0; r < k_ceiling_repeats; r++) {
      const ms = await Promise.all(workers.map((w) => w.run(iterations)));
      repeats.push(aggregateGflops(iterations * k_flops_per_iteration, ms));
    }
    return { threads, gflops: bestOf(repeats), repeats };
  } finally {
    for (const w of workers) w.terminate();
  }
}

/** Measures 1 … maxThreads; `onPoint` hears each thread count as it finishes. */
export async function measureWasmSimdCeiling(maxThreads: number, onPoint?: (p: WasmCeilingPoint) => void): Promise<Capability<WasmSimdCeiling>> {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(wasmSimdKernelBytes())) {
    return unavailable('This browser cannot compile WebAssembly SIMD, so there is no wasm-SIMD ceiling to measure.');
  }
  if (typeof Worker === 'undefined') return unavailable('This browser has no Web Workers to run the ceiling threads in.');
  try {
    const calibration = new CeilingWorker();
    let iterations: number;
    try {
      await calibration.ready;
      await calibration.run(k_calibration_iterations);
      iterations = calibratedIterations(k_calibration_iterations, await calibration.run(k_calibration_iterations));
    } finally {
      calibration.terminate();
    }
    const points: WasmCeilingPoint[] = [];
    for (let threads = 1; threads <= Math.max(1, maxThreads); threads++) {
      const point = await measureThreads(threads, iterations);
      points.push(point);
      onPoint?.(point);
    }
    const scaling = threadScalingNote(points);
    return available({ kernel: k_wasm_kernel_text, points }, [
      ...(scaling ? [scaling] : []),
      'Workers here are plain (not shared-memory) wasm instances, so this ceiling holds with or without cross-origin isolation; engines need isolation for their own threads.',
    ]);
  } catch (error) {
    return unavailable(`The wasm-SIMD ceiling could not be measured: ${errorMessage(error)}`);
  }
}
