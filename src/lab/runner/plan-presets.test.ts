import { describe, expect, it } from 'vitest';
import { PLAN_PRESETS, presetPlan } from './plan-presets';
import { defaultNeeds } from '../results/recommendation-needs';
import { device } from '../results/test-results';

describe('presetPlan', () => {
  it('sweeps the wasm engines over 1 … cores threads', () => {
    const plan = presetPlan('thread-sweep', 'cps-wage', 2);
    expect(plan.cells.map((c) => `${c.engine}:t${c.threads}`)).toEqual(['ort-wasm:t1', 'ort-wasm:t2', 'tfjs-wasm:t1', 'tfjs-wasm:t2', 'litert-wasm:t1', 'litert-wasm:t2']);
  });

  it('sweeps batch sizes 1 … 256 on the CPU engines', () => {
    const plan = presetPlan('batch-sweep', 'fashion-mnist-cnn', 4);
    expect(plan.batchSizes).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    expect(plan.cells.map((c) => c.engine)).toEqual(['ort-wasm', 'tfjs-cpu', 'tfjs-wasm', 'litert-wasm']);
    expect(plan.modelId).toBe('fashion-mnist-cnn');
  });

  it('runs a sustained plan for two minutes', () => {
    expect(presetPlan('sustained', 'cps-wage', 2).sustained).toEqual({ durationS: 120 });
  });
});

describe('lecture and capstone presets', () => {
  it('the lecture demo: wasm FP32 and INT8 with fidelity (the fairness finding), TF.js wasm and WebGL (the speed finding)', () => {
    const plan = presetPlan('lecture', 'cps-wage', 2);
    expect(plan.cells.map((c) => `${c.engine}:${c.precision}:${c.fidelity}`)).toEqual(['ort-wasm:fp32:true', 'ort-wasm:int8:true', 'tfjs-wasm:fp32:false', 'tfjs-webgl:fp32:false']);
    expect(plan.batchSizes).toEqual([1, 16]);
  });

  it("every preset with a fidelity pass measures what the page's default needs judge (attributions), so its recommendation can find a configuration", () => {
    // The premise: the page's default needs judge attributions (if that changes, this test should be rethought, not pass by itself).
    expect(defaultNeeds().drift.minAttributionRankCorrelation).toBeDefined();
    for (const preset of PLAN_PRESETS) {
      const plan = presetPlan(preset, 'cps-wage', 2);
      if (plan.cells.some((c) => c.fidelity)) expect(plan.fidelity.attributions, preset).toBe(true);
    }
  });

  it("the capstone follows the device's course mapping", () => {
    const plan = presetPlan('capstone', 'cps-wage', 2, { device: device(true) });
    expect(plan.cells.map((c) => `${c.engine}:${c.precision}`)).toEqual(['ort-wasm:fp32', 'ort-webgpu:fp32', 'tfjs-webgl:fp16c', 'ort-wasm:int8']);
    expect(plan.name).toBe('capstone');
  });
});
