import { expect, test } from '@playwright/test';
import type { CellResult } from '../src/lab/results/results';
import { openLab, runPlan, TEST_RULES } from './lab-page';
import { recordRequests } from './origin-guard';
import { expectOwnTolerance } from './stored-tolerance';

const MODELS = ['cps-wage', 'fashion-mnist-cnn', 'esrgan-slim-x2'] as const;

const describe = (modelId: string, c: CellResult) => `${modelId} ${c.engine}:${c.precision} ${c.state}: ${JSON.stringify(c.state === 'errored' ? c.error : c.state === 'unavailable' ? c.reason : '')}`.slice(0, 600);

/**
 * LiteRT.js on the lab's own .tflite exports: FP32 and full-integer INT8 on
 * wasm (XNNPACK) complete on every zoo model, each gated against its own
 * reference (FP32: native onnxruntime's golden outputs; INT8: Arm NN running
 * the .tflite itself); WebGPU completes or says precisely why not, and names
 * any part of the model it handed to wasm.
 */
for (const modelId of MODELS) {
  test(`LiteRT.js runs the ${modelId} .tflite exports with agreement`, async ({ page, baseURL }) => {
    const requests = recordRequests(page);
    await openLab(page);
    const results = await runPlan(page, {
      schemaVersion: 1,
      modelId,
      cells: [
        // The fidelity pass compiles a third copy of the model (its own batch) and the cell disposes right after it: with threads, that hung once.
        { engine: 'litert-wasm', precision: 'fp32', fidelity: true },
        { engine: 'litert-wasm', precision: 'int8', fidelity: true },
        { engine: 'litert-webgpu', precision: 'fp32' },
      ],
      batchSizes: modelId === 'esrgan-slim-x2' ? [1] : [1, 4],
      rules: TEST_RULES,
      fidelity: { attributions: true, explainRows: 2 },
    });
    const [fp32, int8, webgpu] = results.cells;
    for (const cell of [fp32, int8]) {
      expect(cell!.state, describe(modelId, cell!)).toBe('completed');
      if (cell!.state !== 'completed') continue;
      expectOwnTolerance(modelId, cell!);
      expect(cell!.format).toBe('tflite');
      expect(cell!.runtime?.bundle).toBe('@litertjs/core');
      // Cross-origin isolated with wasm threads here: the threaded XNNPACK build, recorded.
      expect(cell!.runtime?.wasmFile).toBe('litert_wasm_threaded_internal.wasm');
      expect(cell!.runtime?.details.build).toBe('threaded');
      expect(cell!.runtime?.fallback).toBeUndefined();
      // Measured against the native FP32 reference where the model ships one (ESRGAN ships none: skipped, saying so).
      expect(cell!.fidelity?.state, JSON.stringify(cell!.fidelity).slice(0, 300)).toBe(modelId === 'esrgan-slim-x2' ? 'skipped' : 'measured');
    }
    expect(int8!.precisionInfo).toMatchObject({ storage: 'int8', compute: 'int8' });
    // WebGPU (software here): completed against the golden outputs, any handing-over to wasm named; or unavailable with the runtime's reason.
    if (webgpu!.state === 'completed') {
      expectOwnTolerance(modelId, webgpu!);
      expect(webgpu!.runtime?.wasmFile).toBe('litert_wasm_jspi_internal.wasm');
    } else {
      expect(webgpu!.state, describe(modelId, webgpu!)).toBe('unavailable');
    }
    test.info().annotations.push({ type: 'litert-webgpu', description: describe(modelId, webgpu!) + (webgpu!.runtime?.fallback ? ` fallback: ${webgpu!.runtime.fallback}` : '') });
    expect(requests.urls.some((u) => u.endsWith('/litert/litert_wasm_threaded_internal.wasm'))).toBe(true);
    expect(requests.foreign(new URL(baseURL!).origin)).toEqual([]);
  });
}
