/**
 * ONNX's backend node tests (Debian's libonnx-testdata) through the lab's
 * ONNX → TF.js importer: each test's model.onnx, the inputs of each
 * test_data_set_N folder fed in, its expected outputs compared at ONNX's own backend-test tolerance
 * (rtol 1e-3, atol 1e-7; onnx/backend/test/case/node: unless a test says
 * otherwise, which the shipped data cannot).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { onnx } from '../../src/lab/models/onnx-proto-import';
import { OnnxGraphRunner } from '../../src/lab/onnx-import/graph-runner';
import { importOnnxGraph } from '../../src/lab/onnx-import/graph-import';
import { OnnxImportError } from '../../src/lab/onnx-import/import-errors';
import { decodeTensor, type HostTensor } from '../../src/lab/onnx-import/onnx-tensors';

export const k_testdata_root = process.env.ONNX_TESTDATA ?? '/usr/share/libonnx-testdata/data/node';
export const k_rtol = 1e-3;
export const k_atol = 1e-7;

export type CaseResult =
  | { name: string; ops: string[]; state: 'pass'; maxError: number }
  | { name: string; ops: string[]; state: 'fail'; maxError: number; why: string }
  | { name: string; ops: string[]; state: 'unsupported'; why: string }
  | { name: string; ops: string[]; state: 'error'; why: string };

export function testdataInstalled(): boolean {
  return existsSync(k_testdata_root);
}

export function listCases(): string[] {
  return readdirSync(k_testdata_root)
    .filter((d) => existsSync(join(k_testdata_root, d, 'model.onnx')))
    .sort();
}

function operatorsOf(bytes: Uint8Array): string[] {
  try {
    const m = onnx.ModelProto.decode(bytes);
    return [...new Set((m.graph?.node ?? []).map((n) => `${n.domain ? `${n.domain}::` : ''}${n.opType ?? ''}`))].sort();
  } catch {
    return [];
  }
}

function readTensor(path: string): HostTensor {
  return decodeTensor(onnx.TensorProto.decode(readFileSync(path)));
}

/** Worst excess over the tolerance (≤ 0 passes) and the worst absolute error, NaN matching NaN. */
export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>): { ok: boolean; maxError: number } {
  let ok = actual.length === expected.length;
  let maxError = 0;
  for (let i = 0; i < Math.min(actual.length, expected.length); i += 1) {
    const a = Number(actual[i]);
    const e = Number(expected[i]);
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const err = Math.abs(a - e);
    if (!(err <= k_atol + k_rtol * Math.abs(e))) ok = false;
    maxError = Math.max(maxError, Number.isNaN(err) ? Infinity : err);
  }
  return { ok, maxError };
}

export interface CaseData {
  bytes: Uint8Array;
  ops: string[];
  /** Read when asked: a model the importer refuses may hold data TF.js cannot even decode (strings). */
  sets: () => { inputs: HostTensor[]; expected: HostTensor[] }[];
}

/** A test's model and its data sets, read from disk. */
export function loadCase(name: string): CaseData {
  const dir = join(k_testdata_root, name);
  const bytes = readFileSync(join(dir, 'model.onnx'));
  const sets = () => readdirSync(dir)
    .filter((d) => d.startsWith('test_data_set_'))
    .sort()
    .map((set) => {
      const files = readdirSync(join(dir, set));
      const read = (prefix: string) =>
        [...new Array<number>(files.filter((f) => f.startsWith(prefix)).length).keys()].map((i) => readTensor(join(dir, set, `${prefix}${i}.pb`)));
      return { inputs: read('input_'), expected: read('output_') };
    });
  return { bytes, ops: operatorsOf(bytes), sets };
}

/** Compares one data set's outputs (shape, then values): null when they match. */
export function checkOutputs(outputs: readonly { dims: readonly number[]; data: ArrayLike<number> }[], expected: readonly HostTensor[]): { maxError: number; why: string | null } {
  let worst = 0;
  for (const [i, e] of expected.entries()) {
    const out = outputs[i];
    if (!out) return { maxError: Infinity, why: `output ${i} missing` };
    if (out.dims.join(',') !== e.dims.join(',')) return { maxError: Infinity, why: `output ${i} has shape [${out.dims.join(', ')}], expected [${e.dims.join(', ')}]` };
    const { ok, maxError } = compare(out.data, e.wide ?? e.data);
    worst = Math.max(worst, maxError);
    if (!ok) return { maxError, why: `output ${i} differs by up to ${maxError.toExponential(2)}` };
  }
  return { maxError: worst, why: null };
}

export async function runCase(tf: typeof Tf, name: string): Promise<CaseResult> {
  const { bytes, ops, sets } = loadCase(name);
  let runner: OnnxGraphRunner;
  try {
    runner = new OnnxGraphRunner(tf, importOnnxGraph(bytes));
  } catch (error) {
    if (error instanceof OnnxImportError && error.problem !== 'bad-model') return { name, ops, state: 'unsupported', why: error.message };
    return { name, ops, state: 'error', why: error instanceof Error ? error.message : String(error) };
  }
  let worst = 0;
  try {
    for (const { inputs, expected } of sets()) {
      const feeds: Record<string, Tf.Tensor> = {};
      runner.graph.inputs.forEach((input, i) => {
        const h = inputs[i];
        if (h) feeds[input.name] = tf.tensor(h.data, h.dims, h.dtype);
      });
      let outs: Tf.Tensor[] = [];
      try {
        outs = await runner.run(feeds);
        const read = await Promise.all(outs.map(async (t) => ({ dims: t.shape, data: await t.data() })));
        const { maxError, why } = checkOutputs(read, expected);
        worst = Math.max(worst, maxError);
        if (why) return { name, ops, state: 'fail', maxError, why };
      } finally {
        outs.forEach((t) => t.dispose());
        Object.values(feeds).forEach((t) => t.dispose());
      }
    }
  } catch (error) {
    if (error instanceof OnnxImportError) return { name, ops, state: 'unsupported', why: `${error.message} (found when run)` };
    return { name, ops, state: 'error', why: error instanceof Error ? error.message : String(error) };
  } finally {
    runner.dispose();
  }
  return { name, ops, state: 'pass', maxError: worst };
}
