import { describe, expect, it } from 'vitest';
import type { DeviceReport } from '../device/device-report';
import { device } from '../results/test-results';
import { defaultPlan } from './plan';
import { engineAbsence, formatEstimate, previewPlan } from './plan-preview';
import { presetPlan } from './plan-presets';

const here = (): DeviceReport => ({ ...device(true), wasmSimd: { status: 'available', detail: { bits: 128 }, notes: [] } });

describe('previewPlan', () => {
  it('lists the quick plan\'s cells and greys out WebNN with the reason this device gave', () => {
    const preview = previewPlan(defaultPlan('cps-wage'), here(), ['fp32', 'fp16', 'fp16c', 'int8', 'int4']);
    expect(preview.cells.map((c) => `${c.label}: ${c.outlook.state}`)).toEqual([
      'ORT wasm: runs',
      'ORT WebGL: runs',
      'ORT WebGPU: runs',
      'ORT WebNN: cannot-run',
      'TF.js CPU: runs',
      'TF.js wasm: runs',
      'TF.js WebGL: runs',
      'TF.js WebGPU: runs',
      'LiteRT wasm: runs',
      'LiteRT WebGPU: runs',
      'LiteRT WebNN: cannot-run',
      'ORT wasm INT8: runs',
      'TF.js wasm INT8: runs',
      'LiteRT wasm INT8: runs',
    ]);
    expect(preview.cells[3]?.outlook).toEqual({ state: 'cannot-run', reason: 'This browser has no WebNN (navigator.ml is missing).' });
    expect(preview.runnable).toBe(12);
    // The quick plan took 43–52 s on the reference laptop; the preview must not say "about 2 min" for it.
    expect(formatEstimate(preview.estimateSeconds)).toMatch(/^about (35|40|45|50|55) s$/);
    // The lecture demo took 6.8–7.3 s in the page here, 8.8–9.0 s with the browser's start (bench:quick --preset lecture); "about 5 s" undersold it.
    const lecture = previewPlan(presetPlan('lecture', 'cps-wage', 2), here());
    expect(formatEstimate(lecture.estimateSeconds)).toMatch(/^about (7|8|9|10) s$/);
  });

  it('knows before Run what a descriptor refuses, what needs shader-f16, and what only the engine can tell', () => {
    const plan = presetPlan('quick', 'cps-wage', 2);
    const preview = previewPlan(
      {
        ...plan,
        cells: [
          { engine: 'tfjs-wasm', precision: 'fp16c', fidelity: false },
          { engine: 'ort-webgpu', precision: 'fp16c', fidelity: false },
          { engine: 'tfjs-webgl', precision: 'fp16c', fidelity: false },
          { engine: 'ort-wasm', precision: 'int4', fidelity: false },
        ],
      },
      here(),
      ['fp32', 'fp16', 'fp16c', 'int8'],
    );
    expect(preview.cells.map((c) => c.outlook.state)).toEqual(['cannot-run', 'cannot-run', 'may-not-run', 'cannot-run']);
    expect(preview.cells[3]?.outlook).toEqual({ state: 'cannot-run', reason: 'this model ships no such variant' });
    const withF16 = previewPlan({ ...plan, cells: [{ engine: 'tfjs-webgl', precision: 'fp16c', fidelity: false }] }, here());
    expect(withF16.cells[0]?.outlook.state).toBe('may-not-run');
    expect(preview.cells[1]?.outlook).toMatchObject({ reason: expect.stringContaining('shader-f16') as string });
  });

  it('names a missing backend and formats the estimate', () => {
    expect(engineAbsence('ort-webnn', here())).toBe('This browser has no WebNN (navigator.ml is missing).');
    expect(engineAbsence('ort-wasm', here())).toBeNull();
    expect(engineAbsence('ort-webnn', null)).toBeNull();
    expect(formatEstimate(7.6)).toBe('about 8 s');
    expect(formatEstimate(23)).toBe('about 25 s');
    expect(formatEstimate(61)).toBe('about 60 s');
    expect(formatEstimate(200)).toBe('about 3 min');
  });
});

describe('previewPlan for a model of the user', () => {
  it("greys out what the model card already says an engine lacks, with the operator, before Run", () => {
    const plan = defaultPlan('cps-wage');
    const preview = previewPlan(plan, here(), null, [
      { engine: 'ort-webgl', verdict: 'cannot', missing: ['ai.onnx.ml.LinearClassifier'], source: 'the engine\'s operator table' },
      { engine: 'ort-wasm', verdict: 'runs', missing: [], source: 'the engine\'s operator table' },
    ]);
    const webgl = preview.cells.find((c) => c.label === 'ORT WebGL');
    expect(webgl?.outlook).toEqual({ state: 'cannot-run', reason: "the model card says it cannot: ai.onnx.ml.LinearClassifier — the engine's operator table" });
    expect(preview.cells.find((c) => c.label === 'ORT wasm')?.outlook.state).toBe('runs');
    expect(preview.runnable).toBe(previewPlan(plan, here()).runnable - 1);
  });
});
