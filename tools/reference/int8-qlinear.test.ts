/**
 * Native onnxruntime really runs the INT8 variants with integer kernels: each
 * INT8 ONNX file is loaded by onnxruntime-node (CPU EP, all graph
 * optimizations) with `optimizedModelFilePath`, and the optimized graph it
 * writes must contain QLinear* nodes (QLinearConv, QLinearMatMul,
 * com.microsoft QLinearAdd/QLinearConcat) and no float Conv/MatMul/Gemm left
 * over. A QDQ graph without the QuantizeLinear after each operator would stay
 * `DequantizeLinear → Conv` here (int8 storage, FP32 compute).
 *
 * Also records what the FP16-compute files become: casts to float32 around
 * every operator onnxruntime's CPU engine has no FP16 kernel for.
 *
 * From the repository root, after `ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/reference`:
 *   node --import tsx --test tools/reference/int8-qlinear.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { parseManifest } from '../../src/lab/models/manifest';
import { onnx } from '../../src/lab/models/onnx-proto-import';
import { parseIntakeOptions } from '../../src/lab/models/user/intake-options';
import { prepareUserModel } from '../../src/lab/models/user/intake-prepare';
import { readUserModel, userModelSizeLimit } from '../../src/lab/models/user/intake-read';
import { ortReference } from '../../src/lab/models/user/reference-engine';
import { fixtureFile, fixtureImageFolder } from '../../scripts/user-models/fixture-data';

const root = join(import.meta.dirname, '../..');
const ids = (JSON.parse(readFileSync(join(root, 'public/models/index.json'), 'utf8')) as { models: string[] }).models;
const scratch = mkdtempSync(join(tmpdir(), 'inference-lab-optimized-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
ort.env.logLevel = 'error';

/** The op types (domain-qualified) of the graph onnxruntime-node optimizes `path` into. */
async function optimizedOps(path: string, name: string): Promise<string[]> {
  const out = join(scratch, `${name}.optimized.onnx`);
  const session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1, optimizedModelFilePath: out, logSeverityLevel: 3 });
  await session.release();
  const model = onnx.ModelProto.decode(readFileSync(out));
  return (model.graph?.node ?? []).map((n) => (n.domain ? `${n.domain}.${n.opType ?? ''}` : (n.opType ?? '')));
}

const counts = (ops: string[]): string => Object.entries(ops.reduce<Record<string, number>>((m, op) => ((m[op] = (m[op] ?? 0) + 1), m), {})).map(([op, n]) => `${op} ×${n}`).join(', ');

for (const id of ids) {
  const dir = join(root, 'public/models', id);
  const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));

  test(`${id}: native onnxruntime fuses the INT8 QDQ graph into QLinear* integer kernels`, async () => {
    const ref = manifest.artifacts.int8?.onnx;
    assert.ok(ref, `${id} has no int8 ONNX artifact`);
    const ops = await optimizedOps(join(dir, ref.path), `${id}.int8`);
    console.log(`${id} int8 optimized: ${counts(ops)}`);
    assert.ok(ops.some((op) => /(^|\.)QLinear/.test(op)), `no QLinear* node in ${ops.join(' ')}`);
    const floatCompute = ops.filter((op) => /(^|\.)(Conv|MatMul|Gemm|FusedConv|FusedGemm|FusedMatMul)$/.test(op));
    assert.deepEqual(floatCompute, [], 'a Conv/MatMul stayed in float32');
  });

  test(`${id}: the FP16-compute graph is computed in FP32 by native onnxruntime's CPU engine (casts)`, async () => {
    const ref = manifest.artifacts.fp16c?.onnx;
    assert.ok(ref, `${id} has no fp16c ONNX artifact`);
    const ops = await optimizedOps(join(dir, ref.path), `${id}.fp16c`);
    console.log(`${id} fp16c optimized: ${counts(ops)}`);
    assert.ok(ops.includes('Cast'));
  });
}

/**
 * The INT8 variant the page makes from a model a user brings (the core's
 * transforms, calibrated on onnxruntime-web wasm as in the page): the
 * PyTorch-shaped CNN fixture with its image folder must fuse natively too.
 */
test('fashion-cnn-nchw fixture: the in-page INT8 variant fuses into QLinear* integer kernels natively', async () => {
  const web = await import('onnxruntime-web');
  web.env.wasm.numThreads = 1;
  const reference = ortReference(web, 'page', 'onnxruntime-web wasm (as in the page)');
  try {
    const read = await readUserModel([fixtureFile('fashion-cnn-nchw.onnx')], userModelSizeLimit());
    const prepared = await prepareUserModel(read, fixtureImageFolder(), parseIntakeOptions({}), { reference });
    const int8 = prepared.files['int8.onnx'];
    assert.ok(int8, `no INT8 variant: ${JSON.stringify(prepared.card.variants)}`);
    const path = join(scratch, 'user-cnn.int8.onnx');
    writeFileSync(path, int8);
    const ops = await optimizedOps(path, 'user-cnn.int8');
    console.log(`fashion-cnn-nchw (user) int8 optimized: ${counts(ops)}`);
    assert.ok(ops.some((op) => /(^|\.)QLinear/.test(op)), `no QLinear* node in ${ops.join(' ')}`);
    assert.deepEqual(ops.filter((op) => /(^|\.)(Conv|MatMul|Gemm|FusedConv|FusedGemm|FusedMatMul)$/.test(op)), [], 'a Conv/MatMul/Gemm stayed in float32');
  } finally {
    await reference.release();
  }
});
