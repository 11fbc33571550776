import { describe, expect, it } from 'vitest';
import { QUICK_RULES } from '../bench/protocol';
import { cellId, crossCells, decodePlan, defaultPlan, encodePlan, parsePlan, precisionsOf, resolveRules, userCellFormat } from './plan';

describe('plan validation', () => {
  it('fills defaults', () => {
    const plan = parsePlan({ schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'ort-wasm' }], batchSizes: [1] });
    expect(plan.cells[0]).toEqual({ engine: 'ort-wasm', precision: 'fp32', fidelity: false });
    expect(plan.fidelity).toEqual({ attributions: true, bootstrapIterations: 200, seed: 1988 });
    expect(plan.rules).toBe('quick');
    expect(plan.threads).toBe(0);
    expect(resolveRules(plan)).toEqual(QUICK_RULES);
  });

  it('names the bad field and the valid choices', () => {
    expect(() =>
      parsePlan({ schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'ort-cuda' }], batchSizes: [1] }),
    ).toThrow(/cells\.0\.engine: .*"ort-wasm"/);
    expect(() => parsePlan({ schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'ort-wasm' }], batchSizes: [0] })).toThrow(
      /batchSizes\.0/,
    );
    expect(() => parsePlan({ schemaVersion: 2, modelId: 'x', cells: [], batchSizes: [1] })).toThrow(/schemaVersion[\s\S]*cells/);
  });

  it('checks custom rules with the bench protocol', () => {
    const rules = { ...QUICK_RULES, blockMinSamples: 500, blockMaxSamples: 10 };
    expect(() => parsePlan({ schemaVersion: 1, modelId: 'm', cells: [{ engine: 'tfjs-cpu' }], batchSizes: [1], rules })).toThrow('Invalid plan:\nrules: BenchRules.blockMinSamples (500) must not exceed blockMaxSamples (10)');
  });
});

describe('default plan and URLs', () => {
  it('covers every engine at fp32 with quick rules', () => {
    const plan = defaultPlan();
    expect(plan.cells.map((c) => `${c.engine}:${c.precision}`)).toEqual([
      'ort-wasm:fp32', 'ort-webgl:fp32', 'ort-webgpu:fp32', 'ort-webnn:fp32', 'tfjs-cpu:fp32', 'tfjs-wasm:fp32', 'tfjs-webgl:fp32', 'tfjs-webgpu:fp32',
      'litert-wasm:fp32', 'litert-webgpu:fp32', 'litert-webnn:fp32',
      'ort-wasm:int8', 'tfjs-wasm:int8', 'litert-wasm:int8',
    ]);
    expect(plan.cells.every((c) => c.fidelity)).toBe(true);
    expect(cellId(plan.cells[2]!, 2)).toBe('2:ort-webgpu:fp32');
  });

  it('gives each cell of a user\'s model the format its engine reads: the model\'s own, the page\'s .tflite export, or the model\'s (refused)', () => {
    expect(userCellFormat('ort-wasm', 'onnx')).toEqual({ format: 'onnx' });
    expect(userCellFormat('tfjs-webgl', 'onnx')).toEqual({ format: 'onnx' });
    expect(userCellFormat('litert-wasm', 'onnx')).toEqual({ format: 'tflite' });
    expect(userCellFormat('tfjs-cpu', 'tfjs')).toEqual({ format: 'tfjs' });
    expect(userCellFormat('ort-wasm', 'tfjs')).toEqual({ format: 'tfjs' });
    expect(userCellFormat('litert-webgpu', 'tfjs')).toEqual({ format: 'tfjs' });
  });

  it('builds the cells the checkboxes choose, in the registry\'s order, a user\'s model read in each engine\'s format; nothing chosen keeps the plan', () => {
    const plan = defaultPlan('cps-wage');
    expect(crossCells(plan, ['tfjs-cpu', 'ort-wasm'], ['int8', 'fp32']).map((c) => `${c.engine}:${c.precision}`)).toEqual(['ort-wasm:fp32', 'ort-wasm:int8', 'tfjs-cpu:fp32', 'tfjs-cpu:int8']);
    expect(crossCells(plan, ['litert-wasm', 'tfjs-cpu'], ['fp32'], 'onnx').map((c) => `${c.engine}:${c.format ?? '-'}`)).toEqual(['tfjs-cpu:onnx', 'litert-wasm:tflite']);
    expect(crossCells(plan, [], ['fp32'])).toBe(plan.cells);
    expect(precisionsOf(plan)).toEqual(['fp32', 'int8']);
  });

  it('round-trips through the URL encoding', () => {
    const plan = defaultPlan('cps-wage', ['tfjs-cpu']);
    const encoded = encodePlan(plan);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePlan(encoded)).toEqual(plan);
    expect(() => decodePlan('%%%')).toThrow(/not readable/);
  });
});

describe('a plan for a model the user brought', () => {
  const sha256 = 'ab'.repeat(32);
  it('records the file\'s SHA-256, and its model id must match it', () => {
    const base = { schemaVersion: 1, cells: [{ engine: 'ort-wasm' }], batchSizes: [1] };
    expect(parsePlan({ ...base, modelId: 'user-abababababab', userModel: { sha256, fileName: 'm.onnx' } }).userModel?.sha256).toBe(sha256);
    expect(() => parsePlan({ ...base, modelId: 'user-abababababab' })).toThrow('userModel: a "user-…" model needs userModel (the file\'s SHA-256)');
    expect(() => parsePlan({ ...base, modelId: 'user-000000000000', userModel: { sha256, fileName: 'm.onnx' } })).toThrow('modelId: is not "user-" + the first 12 hex digits of userModel.sha256');
  });
});
