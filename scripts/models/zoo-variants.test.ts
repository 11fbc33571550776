/**
 * Every precision variant of every zoo model, in Node without onnxruntime-node:
 * - the ONNX file on onnxruntime-web (wasm) and the TF.js files on TF.js cpu
 *   reproduce the variant's OWN native reference outputs
 *   (`artifacts.<p>.reference.<format>`, computed by
 *   tools/reference/precision-reference.ts) within that reference's tolerance;
 *   drift from FP32 is printed, not gated (fidelity's business);
 * - the TF.js and ONNX files of FP32, FP16 storage, INT8 and the 4-bit fixture
 *   dequantize to the same float32 weights (TF.js's own decoder against
 *   onnxruntime-web evaluating the ONNX DequantizeLinear / Cast nodes);
 * - the INT8 ONNX file is QDQ by the book: a QuantizeLinear after every quantized operator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, test } from 'vitest';
import { type GoldenData, loadCellGolden, loadGolden } from '../../src/lab/models/golden';
import { psnr } from '../../src/lab/models/image-data';
import { parseManifest } from '../../src/lab/models/manifest';
import { decodeModel, float32Values, graphOf, readersOf } from '../../src/lab/models/onnx-model-edit';
import { hwioToOihw } from '../../src/lab/models/onnx-layers-conv';
import { exposeValues } from '../../src/lab/models/onnx-qdq';
import { runOnnxTensor } from '../../src/lab/models/onnx-test-helpers';
import { k_variant_precisions } from '../../src/lab/models/precision-variants';
import { loadLayersModelFromDisk, readLayersModelFiles } from './tfjs-files';

const k_root = 'public/models';
const index = JSON.parse(readFileSync(join(k_root, 'index.json'), 'utf8')) as { models: string[] };
const readBytes = (dir: string, path: string): Uint8Array => new Uint8Array(readFileSync(join(dir, path)));

function flat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  rows.reduce((offset, row) => (out.set(row, offset), offset + row.length), 0);
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  a.forEach((v, i) => (max = Math.max(max, Math.abs(v - (b[i] as number)))));
  return Number.isNaN(max) ? Infinity : max;
}

/** The values every weight initializer has when the graph runs: DequantizeLinear / Cast outputs through onnxruntime-web, plain initializers as stored. */
async function onnxWeightValues(bytes: Uint8Array, names: string[]): Promise<Map<string, { dims: number[]; values: Float32Array }>> {
  const graph = graphOf(decodeModel(bytes));
  const out = new Map<string, { dims: number[]; values: Float32Array }>();
  const computed: string[] = [];
  for (const name of names) {
    const init = graph.initializer.find((t) => t.name === name);
    if (init) out.set(name, { dims: (init.dims ?? []).map(Number), values: float32Values(init) });
    else computed.push(name);
  }
  if (computed.length > 0) {
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(exposeValues(bytes, computed), { executionProviders: ['wasm'] });
    const input = session.inputNames[0] as string;
    const meta = graph.input[0]?.type?.tensorType?.shape?.dim?.map((d) => (d.dimValue ? Number(d.dimValue) : 1)) ?? [1];
    const result = await session.run({ [input]: new ort.Tensor('float32', new Float32Array(meta.reduce((a, b) => a * b, 1)), meta) }, computed);
    for (const name of computed) {
      const t = result[name];
      if (!t) throw new Error(`no value ${name}`);
      out.set(name, { dims: [...t.dims], values: t.data as Float32Array });
    }
    await session.release();
  }
  return out;
}

describe.each(index.models)('%s precision variants', (id) => {
  const dir = join(k_root, id);
  const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const input = manifest.inputs[0];
  const output = manifest.outputs[0];
  let golden: GoldenData;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    golden = await loadGolden(manifest, (path) => Promise.resolve(readBytes(dir, path).slice().buffer));
  });

  test('every variant is present, with its own native reference per format and a stated tolerance', () => {
    for (const p of k_variant_precisions) {
      const set = manifest.artifacts[p];
      expect(set?.onnx, p).toBeDefined();
      expect(set?.tfjs === undefined, p).toBe(p === 'fp16c');
      // fp16c has no TF.js file, but TF.js WebGL runs the fp16 files with FP16 textures and needs a reference of its own.
      // Every variant's .tflite export has a reference of its own too (LiteRT WebGPU's FP16-compute cells read the fp16 file).
      const formats = [...(p === 'fp16c' || set?.tfjs ? ['onnx', 'tfjs'] : ['onnx']), ...(p === 'fp16c' || set?.tflite ? ['tflite'] : [])];
      expect(Object.keys(set?.reference ?? {}).sort(), `${p}: run tools/reference/precision-reference.ts`).toEqual(formats);
      for (const ref of Object.values(set?.reference ?? {})) {
        expect(ref.tolerance, p).toBeGreaterThanOrEqual(manifest.golden.tolerance);
        expect(ref.toleranceNote, p).toMatch(/^Tolerance /);
        // A derived tolerance is margin × its measured basis (or FP32's when that is smaller), two significant digits up.
        if (ref.basis) expect(ref.tolerance, p).toBeGreaterThanOrEqual(Math.max(ref.basis.margin * ref.basis.maxAbsDiff, manifest.golden.tolerance) * (1 - 1e-9));
        else expect(ref.tolerance, p).toBe(manifest.golden.tolerance);
      }
    }
    expect(manifest.artifacts.int4?.fixture).toBe(true);
    if (manifest.task !== 'image-to-image') {
      for (const p of ['fp16', 'fp16c', 'int8'] as const) expect(manifest.artifacts[p]?.measured?.top1Agreement, p).toBeGreaterThanOrEqual(0.97);
    }
  });

  test.each(k_variant_precisions)('%s: onnxruntime-web wasm and TF.js cpu agree with the variant\'s own native reference within its tolerance', async (p) => {
    const set = manifest.artifacts[p];
    const shape = [golden.rows, ...(input?.shape.slice(1) as number[])];
    const fp32 = flat(golden.outputs);
    const fetchBytes = (path: string) => Promise.resolve(readBytes(dir, path).slice().buffer);
    const onnxRef = await loadCellGolden(manifest, p, 'onnx', fetchBytes);
    const onnx = await runOnnxTensor(readBytes(dir, set?.onnx?.path ?? 'missing'), flat(golden.inputs), shape, input?.name, output?.name);
    const onnxDiff = maxAbsDiff(onnx.data, flat(onnxRef.outputs));
    const lines = [`ort-wasm ${onnxDiff.toExponential(2)} of ${onnxRef.tolerance} (drift vs FP32 ${maxAbsDiff(onnx.data, fp32).toExponential(2)})`];
    expect(onnxDiff, `${p} ort-wasm`).toBeLessThanOrEqual(onnxRef.tolerance);
    // TF.js cpu computes FP32 only: its fp16c cells do not exist (TF.js WebGL's are checked in the browser, e2e/precision.spec.ts).
    if (set?.tfjs) {
      const tfjsRef = await loadCellGolden(manifest, p, 'tfjs', fetchBytes);
      const model = await loadLayersModelFromDisk(join(dir, set.tfjs.path));
      const actual = tf.tidy(() => (model.predict(tf.tensor(flat(golden.inputs), shape, 'float32')) as tf.Tensor).dataSync() as Float32Array);
      model.dispose();
      const tfjsDiff = maxAbsDiff(actual, flat(tfjsRef.outputs));
      lines.push(`tfjs-cpu ${tfjsDiff.toExponential(2)} of ${tfjsRef.tolerance} (drift vs FP32 ${maxAbsDiff(actual, fp32).toExponential(2)})`);
      expect(tfjsDiff, `${p} tfjs-cpu`).toBeLessThanOrEqual(tfjsRef.tolerance);
    }
    const extra = manifest.task === 'image-to-image' ? ` (ort-wasm PSNR vs FP32 ${psnr(onnx.data, fp32).toFixed(1)} dB)` : '';
    console.log(`${id} ${p}: max |Δ| vs own reference: ${lines.join(', ')}${extra}`);
  });

  test.each(['fp32', 'fp16', 'int8', 'int4'] as const)('%s: TF.js weights dequantize to exactly the ONNX weights', async (p) => {
    const set = manifest.artifacts[p];
    const { json, weightData } = await readLayersModelFiles(join(dir, set?.tfjs?.path ?? 'missing'));
    const specs = json.weightsManifest.flatMap((g) => g.weights);
    if (p === 'fp16') expect(specs.every((s) => (s.quantization as { dtype?: string } | undefined)?.dtype === 'float16')).toBe(true);
    if (p === 'int8') expect(specs.some((s) => (s.quantization as { dtype?: string } | undefined)?.dtype === 'uint8')).toBe(true);
    const decoded = tf.io.decodeWeights(weightData, specs);
    const onnx = await onnxWeightValues(readBytes(dir, set?.onnx?.path ?? 'missing'), specs.map((s) => s.name));
    for (const spec of specs) {
      const tfjsValues = decoded[spec.name]?.dataSync() as Float32Array;
      const o = onnx.get(spec.name);
      expect(o, spec.name).toBeDefined();
      const expected = spec.shape.length === 4 ? hwioToOihw({ name: spec.name, shape: spec.shape, values: tfjsValues }).values : tfjsValues;
      // Bit-identical, not approximately equal.
      expect(Buffer.from(o?.values.buffer ?? new ArrayBuffer(0)).equals(Buffer.from(Float32Array.from(expected).buffer)), `${p} ${spec.name}`).toBe(true);
    }
    tf.dispose(Object.values(decoded));
  });

  test('INT8 ONNX is QDQ by the book: weights DequantizeLinear, a QuantizeLinear after every quantized operator, float outputs', () => {
    const graph = graphOf(decodeModel(readBytes(dir, manifest.artifacts.int8?.onnx?.path ?? 'missing')));
    const readers = readersOf(graph);
    const producer = new Map(graph.node.flatMap((n) => (n.output ?? []).map((o) => [o, n] as const)));
    const quantized = graph.node.filter((n) => n.opType === 'Conv' || n.opType === 'MatMul');
    expect(quantized.length).toBeGreaterThan(0);
    for (const node of quantized) {
      expect(node.input?.slice(0, 2).map((i) => producer.get(i)?.opType), node.name ?? '').toEqual(['DequantizeLinear', 'DequantizeLinear']);
      const out = node.output?.[0] ?? '';
      const next = readers.get(out) ?? [];
      const after = next.length === 1 && next[0]?.opType === 'Relu' ? (readers.get(next[0].output?.[0] ?? '') ?? []) : next;
      expect(after.map((n) => n.opType), node.name ?? '').toEqual(['QuantizeLinear']);
    }
    expect(graph.output.every((o) => o.type?.tensorType?.elemType === 1)).toBe(true);
  });
});
