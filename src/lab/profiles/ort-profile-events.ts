/**
 * onnxruntime's session profiler in the browser writes its trace (Chrome
 * trace-event JSON, one event per line) to the console when the session ends
 * profiling: there is no file system to put it in (onnxruntime PR #8932).
 * These functions read that text back into kernel timings.
 */
import type { KernelTiming } from './kernel-profile';

export interface OrtTraceEvent {
  cat: string;
  name: string;
  /** Start, µs since the profiler started. */
  ts: number;
  /** Duration, µs. */
  dur: number;
  args?: { op_name?: string; provider?: string };
}

/** Trace events found in console text; other lines (warnings, the brackets around the list) are skipped. */
export function parseOrtTrace(lines: readonly string[]): OrtTraceEvent[] {
  const events: OrtTraceEvent[] = [];
  for (const chunk of lines) {
    for (const raw of chunk.split('\n')) {
      const line = raw.trim().replace(/,$/, '');
      if (!line.startsWith('{')) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      if (isTraceEvent(parsed)) events.push(parsed);
    }
  }
  return events;
}

function isTraceEvent(value: unknown): value is OrtTraceEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.cat === 'string' && typeof v.name === 'string' && typeof v.ts === 'number' && typeof v.dur === 'number';
}

/**
 * Kernel timings of the last `runs` session runs: each `model_run` event
 * spans one `InferenceSession.run`, and a node's kernel event belongs to the
 * run whose span holds its start. Earlier runs (the profiling session's own
 * warm-up) are left out.
 */
export function ortKernelTimings(events: readonly OrtTraceEvent[], runs: number): { runs: number; timings: KernelTiming[] } {
  const spans = events
    .filter((e) => e.cat === 'Session' && e.name === 'model_run')
    .sort((a, b) => a.ts - b.ts)
    .slice(-runs);
  const timings: KernelTiming[] = [];
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    if (!spans.some((s) => e.ts >= s.ts && e.ts <= s.ts + s.dur)) continue;
    timings.push({ name: e.args?.op_name ?? e.name.replace(/_kernel_time$/, ''), ms: e.dur / 1000 });
  }
  return { runs: spans.length, timings };
}
