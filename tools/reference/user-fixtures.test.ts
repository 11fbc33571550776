/**
 * The bring-your-own-model fixtures' golden outputs are what native
 * onnxruntime computes today: each ONNX fixture (ZipMap removed as the lab
 * does) run on its golden inputs must give its golden outputs within 1e-6.
 * An onnxruntime upgrade that changes a tree ensemble's or a linear
 * classifier's answers fails here, naming the fixture.
 *
 *   node --import tsx --test tools/reference/user-fixtures.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { decodeFloat32LE } from '../../src/lab/models/golden';
import { decodeModel, encodeModel } from '../../src/lab/models/onnx-model-edit';
import { removeZipMaps } from '../../src/lab/models/user/onnx-zipmap';
import { goldenPath, k_fixtures, k_fixtures_dir } from '../../scripts/user-models/fixture-specs';

const root = join(import.meta.dirname, '../..');
const dir = join(root, k_fixtures_dir);

interface Golden {
  rows: number;
  output: string;
  inputs?: number[][];
  inputsFile?: string;
  outputs: number[][];
}

for (const spec of k_fixtures) {
  test(`${spec.name}: native onnxruntime reproduces the committed golden outputs`, async () => {
    const golden = JSON.parse(readFileSync(join(dir, goldenPath(spec.name)), 'utf8')) as Golden;
    const model = decodeModel(readFileSync(join(dir, spec.nativeTwin ?? spec.files[0] ?? '')));
    removeZipMaps(model);
    const session = await ort.InferenceSession.create(encodeModel(model), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    const input = session.inputNames[0] ?? '';
    const data = golden.inputs ? Float32Array.from(golden.inputs.flat()) : decodeFloat32LE(new Uint8Array(readFileSync(join(dir, 'golden', golden.inputsFile ?? ''))).buffer);
    const dims = golden.inputs ? [golden.rows, golden.inputs[0]?.length ?? 0] : [golden.rows, 1, 28, 28];
    const result = await session.run({ [input]: new ort.Tensor('float32', data, dims) }, [golden.output]);
    await session.release();
    const out = result[golden.output]?.data as Float32Array;
    let worst = 0;
    golden.outputs.forEach((row, r) => row.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - (out[r * row.length + c] as number))))));
    assert.ok(worst <= 1e-6, `${spec.name}: max |Δ| ${worst} against the committed goldens`);
  });
}
