import { describe, expect, it } from 'vitest';
import { defaultPlan, parsePlan } from './plan';
import { planStages } from './run-stages';

describe('planStages', () => {
  const cells = [
    { engine: 'ort-wasm', precision: 'fp32' },
    { engine: 'tfjs-cpu', precision: 'fp32' },
    { engine: 'ort-wasm', precision: 'int8' },
  ] as const;
  const plan = (stages?: 'one' | 'per-engine') => parsePlan({ schemaVersion: 1, modelId: 'cps-wage', cells, batchSizes: [1], ...(stages ? { stages } : {}) });

  it('is one stage of every cell unless the plan asks for stages per engine', () => {
    expect(planStages(plan())).toEqual([[0, 1, 2]]);
    expect(planStages(plan('one'))).toEqual([[0, 1, 2]]);
  });

  it('groups cells by engine, engines in the order they first appear', () => {
    expect(planStages(plan('per-engine'))).toEqual([[0, 2], [1]]);
  });

  it('stages the quick plan: its first stage is one runtime (ORT wasm at FP32 and INT8)', () => {
    const quick = defaultPlan();
    const [first] = planStages(quick);
    expect(first?.map((i) => `${quick.cells[i]?.engine}:${quick.cells[i]?.precision}`)).toEqual(['ort-wasm:fp32', 'ort-wasm:int8']);
  });

  it('refuses a sustained run staged per engine', () => {
    expect(() => parsePlan({ schemaVersion: 1, modelId: 'cps-wage', cells, batchSizes: [1], stages: 'per-engine', sustained: { durationS: 10 } })).toThrow(/stages: a sustained run/);
  });
});
