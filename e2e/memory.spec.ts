import { expect, test } from '@playwright/test';
import type { ResultsDocument } from '../src/lab/results/results';
import { openLab, runPlan, TEST_RULES } from './lab-page';

/** What each engine's memory is read from here (Chromium, SwiftShader WebGL/WebGPU). */
const SOURCES: Record<string, RegExp> = {
  'ort-wasm': /^wasm memory$/,
  'ort-webgpu': /^wasm memory \+ WebGPU buffers$/,
  'tfjs-cpu': /^TF\.js tensors \(JS arrays\)$/,
  'tfjs-wasm': /^wasm memory$/,
  'tfjs-webgl': /^TF\.js WebGL textures$/,
  'tfjs-webgpu': /^WebGPU buffers$/,
};

test('every completed cell carries peak and after-dispose memory from a named source, or n/a with the reason; the leak check reports growth', async ({ page }) => {
  await openLab(page);
  const results: ResultsDocument = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: (['ort-wasm', 'ort-webgl', 'ort-webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'] as const).map((engine) => ({ engine, precision: 'fp32' })),
    batchSizes: [1, 16],
    rules: TEST_RULES,
    leakCheck: 4,
  });
  const completed = results.cells.filter((c) => c.state === 'completed');
  expect(completed.length, JSON.stringify(results.cells.map((c) => [c.engine, c.state]))).toBe(7);
  for (const cell of completed) {
    const memory = cell.memory;
    expect(memory, cell.engine).toBeDefined();
    if (!memory) continue;
    if (cell.engine === 'ort-webgl') {
      // onnxruntime-web keeps WebGL tensors in textures no API can size, and runs no wasm for it.
      expect(memory).toMatchObject({ peakBytes: null, afterDisposeBytes: null, source: 'n/a' });
      expect(memory.reason).toMatch(/WebGL textures/);
      continue;
    }
    expect(memory.source, cell.engine).toMatch(SOURCES[cell.engine]!);
    expect(memory.peakBytes, cell.engine).toBeGreaterThan(0);
    expect(memory.afterDisposeBytes, cell.engine).not.toBeNull();
    expect(memory.afterDisposeBytes!, cell.engine).toBeLessThanOrEqual(memory.peakBytes!);
    // The sum is the sum of its sources.
    expect(memory.bySource!.reduce((s, b) => s + b.peakBytes, 0)).toBeGreaterThanOrEqual(memory.peakBytes!);
    expect(memory.leak, cell.engine).toMatchObject({ cycles: 4 });
    expect(memory.leak!.afterEachCycleBytes).toHaveLength(4);
    expect(typeof memory.leak!.growthBytes, cell.engine).toBe('number');
  }
  const byEngine = new Map(completed.map((c) => [c.engine, c.memory!]));
  // Wasm memory holds at least the 16 MiB emscripten starts with; it never shrinks.
  expect(byEngine.get('ort-wasm')!.peakBytes).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  expect(byEngine.get('ort-wasm')!.afterDisposeBytes).toBe(byEngine.get('ort-wasm')!.peakBytes);
  // TF.js CPU frees its tensors' JS arrays on dispose: nothing of the model is left.
  expect(byEngine.get('tfjs-cpu')!.afterDisposeBytes).toBe(0);
  expect(byEngine.get('tfjs-cpu')!.leak!.growthBytes).toBe(0);
  // TF.js wasm's own tensor count (inside its wasm memory, not added twice) drops to zero on dispose and does not grow over the cycles.
  const tensors = byEngine.get('tfjs-wasm')!.bySource!.find((s) => s.source === 'TF.js tensors (in wasm memory)');
  expect(tensors).toMatchObject({ inside: 'wasm memory', afterDisposeBytes: 0 });
  expect(tensors!.peakBytes).toBeGreaterThan(0);
  expect(byEngine.get('tfjs-wasm')!.leak!.bySource).toContainEqual({ source: 'TF.js tensors (in wasm memory)', growthBytes: 0 });
});
