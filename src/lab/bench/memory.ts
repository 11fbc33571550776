/**
 * Memory of one cell, measured the same way for every engine. Pure: the
 * readings come from the worker's trackers (memory-trackers.ts) and the
 * engine's own counters (EngineAdapter.memory); this file only decides what
 * they add up to and says why a figure is missing.
 *
 * Sources, each counted once:
 *  - `wasm memory`: every WebAssembly.Memory the cell's worker created or was
 *    handed (ORT wasm and WebGPU builds, TF.js wasm). It never shrinks, so
 *    after dispose it shows what the worker still reserves.
 *  - `WebGPU buffers`: bytes of GPUBuffers created and not yet destroyed.
 *  - the engine's own count of memory the trackers cannot see (TF.js CPU
 *    tensors in JS arrays, TF.js WebGL textures).
 * `performance.measureUserAgentSpecificMemory()` would be the first choice,
 * but it measures the whole page with all its workers (other cells' included)
 * and Chromium exposes it to the page only, answering after up to ~20 s;
 * the cell says whether its worker had it.
 */
import type { CellMemory, LeakCheck } from '../results/results';

/** One source's bytes at one moment. */
export interface MemoryReading {
  source: string;
  bytes: number;
  /**
   * The source these bytes live inside (TF.js wasm tensors are in the wasm
   * memory): shown on their own, never added to the total twice. A sharper
   * count for leaks than the memory that holds them.
   */
  inside?: string;
}

export const k_wasm_source = 'wasm memory';
export const k_webgpu_source = 'WebGPU buffers';

const k_ua_memory_note =
  'performance.measureUserAgentSpecificMemory() is not used: it measures the whole page and every worker (other cells too) and is not exposed to this worker';

/** Tracks the largest total seen and the readings after dispose. */
export class MemoryMeter {
  private peakTotal: number | null = null;
  private readonly peakBySource = new Map<string, number>();
  private readonly insideOf = new Map<string, string>();
  private after: MemoryReading[] | null = null;
  private leak: LeakCheck | undefined;
  private opened: number | null = null;

  constructor(readonly read: () => MemoryReading[]) {}

  /** Takes a reading now (cheap: a few property reads); returns its total, or null when no source measures anything. */
  sample(): number | null {
    const readings = this.read();
    if (readings.length === 0) return null;
    const total = sumBytes(readings);
    this.peakTotal = Math.max(this.peakTotal ?? 0, total);
    for (const r of readings) {
      this.peakBySource.set(r.source, Math.max(this.peakBySource.get(r.source) ?? 0, r.bytes));
      if (r.inside) this.insideOf.set(r.source, r.inside);
    }
    return total;
  }

  /** Marks the cell open and warm: the total now is the baseline that growth over the rounds is judged against. */
  markOpened(): void {
    this.opened = this.sample();
  }

  /** The reading after the session was disposed (also a peak candidate: dispose can allocate). */
  afterDispose(): void {
    this.sample();
    this.after = this.read();
  }

  setLeakCheck(leak: LeakCheck): void {
    this.leak = leak;
  }

  result(): CellMemory {
    const memory = cellMemory(this.peakTotal, this.peakBySource, this.after, this.leak, this.insideOf);
    return this.opened === null || memory.peakBytes === null ? memory : { ...memory, afterWarmupBytes: this.opened };
  }
}

/** The total: every source once (bytes inside another source are already in it). */
export function sumBytes(readings: readonly MemoryReading[]): number {
  return readings.reduce((s, r) => (r.inside ? s : s + r.bytes), 0);
}

/** What a cell's memory record says, from its peak per source and its readings after dispose. */
export function cellMemory(
  peakTotal: number | null,
  peakBySource: ReadonlyMap<string, number>,
  after: readonly MemoryReading[] | null,
  leak?: LeakCheck,
  insideOf: ReadonlyMap<string, string> = new Map(),
): CellMemory {
  const sources = [...peakBySource.keys()].filter((s) => !insideOf.has(s));
  if (peakTotal === null || sources.length === 0) {
    return {
      peakBytes: null,
      afterDisposeBytes: null,
      source: 'n/a',
      reason: `No source measures this engine's memory here: it created no wasm memory or WebGPU buffer, and keeps no count of its own (WebGL textures of onnxruntime-web are invisible to every browser API); ${k_ua_memory_note}`,
      ...(leak ? { leak } : {}),
    };
  }
  const afterBySource = new Map((after ?? []).map((r) => [r.source, r.bytes]));
  const notes = [k_ua_memory_note];
  if (peakBySource.has(k_wasm_source)) notes.unshift('wasm memory never shrinks: after dispose it shows what the worker still reserves');
  return {
    peakBytes: peakTotal,
    afterDisposeBytes: after && after.length > 0 ? sumBytes(after) : null,
    source: sources.join(' + '),
    ...(after && after.length > 0 ? {} : { reason: 'No reading after dispose' }),
    bySource: [...peakBySource.keys()].map((source) => ({
      source,
      peakBytes: peakBySource.get(source) ?? 0,
      afterDisposeBytes: afterBySource.get(source) ?? null,
      ...(insideOf.has(source) ? { inside: insideOf.get(source) } : {}),
    })),
    note: notes.join('; '),
    ...(leak ? { leak } : {}),
  };
}

/**
 * The leak check's verdict from the total after each create → run → dispose
 * cycle: growth from the first cycle to the last (the first cycle pays for
 * one-off allocations: kernels, pools, the allocator's first chunk).
 */
export function leakCheck(afterEachCycle: readonly (number | null)[], source: string): LeakCheck {
  const cycles = afterEachCycle.length;
  const first = afterEachCycle[0] ?? null;
  const last = afterEachCycle[cycles - 1] ?? null;
  if (first === null || last === null || cycles < 2) {
    return { cycles, growthBytes: null, afterEachCycleBytes: afterEachCycle.map((b) => b ?? null), source, reason: cycles < 2 ? 'Fewer than two cycles' : 'No source measured this engine' };
  }
  const growth = last - first;
  return { cycles, growthBytes: growth, perCycleBytes: growth / (cycles - 1), afterEachCycleBytes: [...afterEachCycle], source };
}
