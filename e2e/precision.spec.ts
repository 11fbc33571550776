import { expect, type Page, test } from '@playwright/test';
import type { CellResult, ResultsDocument } from '../src/lab/results/results';
import { openLab, runPlan, TEST_RULES } from './lab-page';
import { expectOwnTolerance } from './stored-tolerance';

/**
 * One engine per runtime and kind of backend where precision behaves
 * differently (ORT on CPU and WebGPU, TF.js on CPU and WebGL, where FP16
 * compute is real): the support matrix (support-matrix.spec.ts) checks every
 * engine's state at every variant; this checks what the variants do to the
 * predictions, on the 5,631 evaluation rows.
 */
const GPU_ENGINES = { 'ort-webgpu': 'webgpu', 'tfjs-webgl': 'webgl' } as const;
const ENGINES = ['ort-wasm', 'tfjs-wasm', ...(Object.keys(GPU_ENGINES) as (keyof typeof GPU_ENGINES)[])] as const;
const VARIANTS = ['fp16', 'fp16c', 'int8', 'int4'] as const;
const RULES = { ...TEST_RULES, blockMinSamples: 2, blockMaxSamples: 3 };
/**
 * What must complete on a GPU engine when the browser offers its API: TF.js
 * expands FP16, INT8 and 4-bit weights at load, so those are FP32 graphs to
 * it, and WebGL keeps FP16 intermediates on request; ORT WebGPU runs FP16
 * storage (casts folded), INT8 (dequantized) and the 4-bit fixture (a plain
 * FP32 graph). FP16 compute without shader-f16 is a typed refusal.
 */
const MUST_COMPLETE_ON_GPU: Record<keyof typeof GPU_ENGINES, readonly string[]> = {
  'ort-webgpu': ['fp16', 'int8', 'int4'],
  'tfjs-webgl': ['fp16', 'fp16c', 'int8', 'int4'],
};

/** What the page's browser offers a worker: WebGL2 on an OffscreenCanvas, a WebGPU adapter. */
async function offered(page: Page): Promise<{ webgl: boolean; webgpu: boolean }> {
  return page.evaluate(async () => {
    const source = `(async () => {
      const webgl = typeof OffscreenCanvas !== 'undefined' && new OffscreenCanvas(1, 1).getContext('webgl2') !== null;
      const webgpu = 'gpu' in navigator && (await navigator.gpu.requestAdapter().catch(() => null)) !== null;
      postMessage({ webgl, webgpu });
    })();`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const answer = await new Promise<{ webgl: boolean; webgpu: boolean }>((resolve) => (worker.onmessage = (e: MessageEvent<{ webgl: boolean; webgpu: boolean }>) => resolve(e.data)));
    worker.terminate();
    return answer;
  });
}

function describeCell(modelId: string, cell: CellResult): string {
  const where = `${modelId} ${cell.engine}:${cell.precision}`;
  if (cell.state === 'completed') {
    const max = Math.max(...cell.agreement.map((a) => a.maxAbsDiff));
    return `${where}: completed, max |Δ| ${max.toExponential(2)} of tolerance ${cell.tolerance.applied}`;
  }
  if (cell.state === 'unavailable') return `${where}: unavailable (${cell.unsupported?.kind ?? 'probe'}): ${cell.reason}`;
  if (cell.state === 'errored') return `${where}: errored ${cell.error.kind}: ${cell.error.message}`;
  return `${where}: ${cell.state}`;
}

/**
 * Completed against its own variant's stored tolerance, or unavailable for a
 * typed reason (or a failed probe). Errored is a failure of this test: with
 * per-variant references, a cell off its own reference is a real wrong answer.
 */
function expectHonestState(modelId: string, cell: CellResult): void {
  const where = describeCell(modelId, cell);
  expect(['completed', 'unavailable'], where).toContain(cell.state);
  if (cell.state === 'completed') {
    expectOwnTolerance(modelId, cell);
    expect(cell.precisionInfo?.how, where).toBeTruthy();
  } else if (cell.state === 'unavailable') {
    expect(cell.reason.length, where).toBeGreaterThan(10);
  }
}

const find = (results: ResultsDocument, engine: string, precision: string) => results.cells.find((c) => c.engine === engine && c.precision === precision);

test('every precision variant of the tabular model, on one engine per runtime and backend kind, completes against its own reference or is unavailable for a typed reason; FP16 and INT8 keep top-1 agreement ≥ 97%', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const gpu = await offered(page);
  const results = await runPlan(page, {
    schemaVersion: 1,
    modelId: 'cps-wage',
    cells: ENGINES.flatMap((engine) => VARIANTS.map((precision) => ({ engine, precision, fidelity: true }))),
    batchSizes: [1],
    rules: RULES,
    fidelity: { attributions: false, bootstrapIterations: 0 },
  });
  console.log(`offered: ${JSON.stringify(gpu)}\n${results.cells.map((c) => describeCell('cps-wage', c)).join('\n')}`);
  for (const cell of results.cells) expectHonestState('cps-wage', cell);

  // CPU engines: every variant but FP16 compute on TF.js, which its descriptor refuses (typed, kind "precision").
  for (const engine of ['ort-wasm', 'tfjs-wasm'])
    for (const precision of VARIANTS) {
      const cell = find(results, engine, precision);
      if (engine !== 'ort-wasm' && precision === 'fp16c') expect(cell?.state === 'unavailable' && cell.unsupported?.kind, `${engine}:${precision}`).toBe('precision');
      else expect(cell?.state, `${engine}:${precision}`).toBe('completed');
    }
  // A GPU the browser offers must be used: its engines complete what they can compute, and refuse the rest only with a typed reason.
  for (const [engine, api] of Object.entries(GPU_ENGINES) as [keyof typeof GPU_ENGINES, 'webgl' | 'webgpu'][]) {
    if (!gpu[api]) continue;
    for (const cell of results.cells.filter((c) => c.engine === engine)) {
      if (cell.state === 'unavailable') expect(cell.unsupported, `${describeCell('cps-wage', cell)}: the browser offers ${api}, so only a typed refusal may make it unavailable`).toBeDefined();
    }
    for (const precision of MUST_COMPLETE_ON_GPU[engine]) expect(find(results, engine, precision)?.state, `${engine}:${precision} (the browser offers ${api})`).toBe('completed');
  }

  for (const cell of results.cells) {
    if (cell.state !== 'completed') continue;
    expect(cell.fidelity?.state, `${cell.engine}:${cell.precision} ${JSON.stringify(cell.fidelity).slice(0, 200)}`).toBe('measured');
    if (cell.fidelity?.state !== 'measured') continue;
    const flip = cell.fidelity.report.overall.flipRate ?? 1;
    if (cell.precision === 'fp16' || cell.precision === 'fp16c' || cell.precision === 'int8') expect(flip, `${cell.engine}:${cell.precision}`).toBeLessThanOrEqual(0.03);
    // Quantized weights move the probabilities: INT8 drift is real and measured by fidelity, not zero.
    if (cell.precision === 'int8') expect(cell.fidelity.report.overall.maxAbsDp ?? 0).toBeGreaterThan(1e-4);
  }
  // Storage versus compute, as the engines really do it.
  const info = (engine: string, precision: string) => find(results, engine, precision)?.precisionInfo;
  expect(info('ort-wasm', 'int8')).toMatchObject({ storage: 'int8', compute: 'int8' });
  expect(info('tfjs-wasm', 'int8')).toMatchObject({ storage: 'int8', compute: 'fp32 (dequantized)' });
  expect(info('ort-wasm', 'fp16')).toMatchObject({ storage: 'fp16', compute: 'fp32 (dequantized)' });
});
