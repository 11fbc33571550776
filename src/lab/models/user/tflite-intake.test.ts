/**
 * A .tflite file a user brings: which file is the model, its card, and the
 * manifest the runner reads. LiteRT itself runs only in a browser
 * (e2e/your-model.spec.ts); here the reference is a stand-in adapter that runs
 * the zoo model's ONNX twin (same weights) on onnxruntime-web, so the
 * intake's own logic is checked against the zoo's native golden outputs.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import type { EngineAdapter } from '../../engines/engine';
import { LITERT_WASM } from '../../engines/litert-wasm.descriptor';
import { decodeFloat32LE } from '../golden';
import { parseManifest } from '../manifest';
import { parseIntakeOptions } from './intake-options';
import { prepareUserModel } from './intake-prepare';
import { modelFileOf, readUserModel, userModelSizeLimit } from './intake-read';
import { adapterReference } from './reference-engine';
import { isUserInputError } from './user-model-error';

const limit = userModelSizeLimit(8);
const zooFile = (model: string, path: string) => new Uint8Array(readFileSync(`public/models/${model}/${path}`));

/** LiteRT wasm's descriptor, running the ONNX twin of the .tflite it is handed (the zoo exported one from the other). */
function twinAdapter(onnx: Uint8Array): EngineAdapter {
  ort.env.wasm.numThreads = 1;
  return {
    descriptor: LITERT_WASM,
    probe: () => Promise.resolve({ available: true }),
    init: () => Promise.resolve({ runtimeVersion: 'twin', bundle: 'test', wasmFile: null, threads: 1, facts: {}, details: {} }),
    async createSession(_model, shape) {
      const session = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
      return {
        prepare: () => Promise.resolve(),
        async run(input, batch) {
          const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [batch, ...shape.inputDims]) });
          return out[session.outputNames[0]!]!.data as Float32Array;
        },
        profileKernels: () => Promise.reject(new Error('no profiler')),
        dispose: () => session.release(),
      };
    },
  };
}

describe('a .tflite file as your model', () => {
  it('is picked alone, recognised without its extension, and refused beside other files', () => {
    const bytes = zooFile('cps-wage', 'tflite/model.fp32.tflite');
    expect(modelFileOf([{ name: 'wage.tflite', bytes }]).format).toBe('tflite');
    expect(modelFileOf([{ name: 'model', bytes }]).format).toBe('tflite');
    expect(() => modelFileOf([{ name: 'wage.tflite', bytes }, { name: 'rows.csv', bytes: new Uint8Array(3) }])).toThrow('A .tflite model is one file: pick wage.tflite alone');
  });

  it('gets a card from the lab\'s TFLite reader: inputs, operators, and only LiteRT predicted to read it', async () => {
    const read = await readUserModel([{ name: 'fashion.tflite', bytes: zooFile('fashion-mnist-cnn', 'tflite/model.fp32.tflite') }], limit);
    expect(read.format).toBe('tflite');
    expect(read.problems).toEqual([]);
    expect(read.card.inputs).toEqual([{ name: expect.any(String) as string, type: 'float32', shape: ['N', 28, 28, 1] }]);
    expect(read.card.outputs[0]).toMatchObject({ type: 'float32', shape: ['N', 10] });
    expect(read.card.operators.map((o) => o.op)).toEqual(expect.arrayContaining(['CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX']));
    expect(read.card.parameters.count).toBeGreaterThan(1000);
    const verdicts = Object.fromEntries(read.card.engines.map((e) => [e.engine, e.verdict]));
    expect(verdicts).toMatchObject({ 'litert-wasm': 'unknown', 'litert-webgpu': 'unknown', 'ort-wasm': 'cannot', 'tfjs-cpu': 'cannot' });
    expect(read.card.engines.find((e) => e.engine === 'ort-wasm')?.missing).toEqual(['TFLite model format']);
  });

  it('refuses a damaged file by name', async () => {
    const bytes = zooFile('cps-wage', 'tflite/model.fp32.tflite').slice(0, 64);
    const error: unknown = await readUserModel([{ name: 'cut.tflite', bytes }], limit).catch((e: unknown) => e);
    expect(isUserInputError(error) && error.problem).toBe('corrupt');
    expect(String(error)).toMatch(/cut\.tflite is not a readable TFLite model/);
  });

  it('becomes a model whose only file is the .tflite, its goldens from the page\'s reference, no variants made', async () => {
    const zoo = parseManifest(JSON.parse(readFileSync('public/models/cps-wage/manifest.json', 'utf8')));
    const bytes = zooFile('cps-wage', 'tflite/model.fp32.tflite');
    const read = await readUserModel([{ name: 'wage.tflite', bytes }], limit);
    const reference = await adapterReference(twinAdapter(zooFile('cps-wage', 'onnx/model.fp32.onnx')), 'http://127.0.0.1:1/lab/', [1]);
    const header = (zoo.featureNames ?? []).map((n) => n.replace('=', '_'));
    const text = [header.join(','), ...(zoo.golden.inputs ?? []).map((r) => r.join(','))].join('\n');
    const prepared = await prepareUserModel(read, { kind: 'csv', fileName: 'zoo-golden.csv', text }, parseIntakeOptions({ csv: { features: header } }), { reference });
    await reference.release();
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(prepared.files['manifest.json'])));
    expect(manifest.artifacts.fp32).toMatchObject({ tflite: { path: 'model.fp32.tflite', bytes: bytes.byteLength } });
    expect(manifest.artifacts.fp32.onnx).toBeUndefined();
    expect(prepared.files['model.fp32.tflite']).toEqual(bytes);
    expect(manifest.userModel).toMatchObject({ format: 'tflite', reference: { kind: 'page', computedBy: 'LiteRT.js twin wasm FP32 in this page (1 thread)' } });
    expect(manifest.userModel?.reference.note).toMatch(/LiteRT wasm FP32 cell agrees with it by construction/);
    expect(prepared.card.variants?.map((v) => `${v.precision}: ${v.state}`)).toEqual(['fp16: not-made', 'int8: not-made']);
    const outputs = decodeFloat32LE(prepared.files['golden/outputs.f32']!.slice().buffer);
    const want = (zoo.golden.outputs ?? []).flat();
    expect(outputs.length).toBe(want.length);
    outputs.forEach((v, i) => expect(Math.abs(v - (want[i] as number))).toBeLessThanOrEqual(zoo.golden.tolerance));
  });
});
