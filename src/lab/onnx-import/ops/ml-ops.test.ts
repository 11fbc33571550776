/**
 * ai.onnx.ml operators through the importer (TF.js cpu) against onnxruntime
 * (onnxruntime-web's wasm in Node, the same kernels as the native goldens),
 * over seeded random tree ensembles and linear models in every configuration
 * the importer takes: binary and multi-class, one or several scored classes,
 * 0–C base values, every post transform, mixed branch modes, thresholds as
 * doubles, missing values. A configuration the importer refuses must be
 * refused at import with its reason, never run.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { beforeAll, describe, expect, test } from 'vitest';
import { onnx } from '../../models/onnx-proto-import';
import { createRng as seededRandom } from '../../util/random';
import { OnnxGraphRunner } from '../graph-runner';
import { importOnnxGraph } from '../graph-import';
import { OnnxImportError } from '../import-errors';
import { float32Threshold } from './ml-tree-tables';

const A = onnx.AttributeProto.AttributeType;
const DT = onnx.TensorProto.DataType;
type Attr = OnnxTypes.IAttributeProto;
const ints = (name: string, v: number[]): Attr => ({ name, type: A.INTS, ints: v });
const floats = (name: string, v: number[]): Attr => ({ name, type: A.FLOATS, floats: v });
const strs = (name: string, v: string[]): Attr => ({ name, type: A.STRINGS, strings: v.map((s) => new TextEncoder().encode(s)) });
const str = (name: string, v: string): Attr => ({ name, type: A.STRING, s: new TextEncoder().encode(v) });
const int = (name: string, v: number): Attr => ({ name, type: A.INT, i: v });
/** A `_as_tensor` attribute: onnxruntime reads float tensors for float inputs (doubles only with double inputs). */
const floatTensor = (name: string, v: number[]): Attr => ({ name, type: A.TENSOR, t: { dims: [v.length], dataType: DT.FLOAT, floatData: v } });

function model(opType: string, attrs: Attr[], features: number, outputs: { name: string; type: number; dims: (number | null)[] }[]): Uint8Array {
  const info = (name: string, type: number, dims: (number | null)[]): OnnxTypes.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => (d === null ? { dimParam: 'N' } : { dimValue: d })) } } },
  });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }],
    graph: {
      name: 'g',
      node: [{ opType, domain: 'ai.onnx.ml', input: ['X'], output: outputs.map((o) => o.name), attribute: attrs }],
      input: [info('X', DT.FLOAT, [null, features])],
      output: outputs.map((o) => info(o.name, o.type, o.dims)),
    },
  }).finish();
}

async function both(bytes: Uint8Array, x: Float32Array, rows: number, features: number): Promise<{ ort: number[][]; lab: number[][] } | { refused: string }> {
  let graph;
  try {
    graph = importOnnxGraph(bytes);
  } catch (error) {
    if (error instanceof OnnxImportError && error.problem !== 'bad-model') return { refused: error.message };
    throw error;
  }
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const expected = await session.run({ X: new ort.Tensor('float32', x, [rows, features]) });
  await session.release();
  const runner = new OnnxGraphRunner(tf, graph);
  const feed = tf.tensor(x, [rows, features]);
  const outs = await runner.run({ X: feed });
  const lab = await Promise.all(outs.map(async (t) => [...(await t.data())].map(Number)));
  outs.forEach((t) => t.dispose());
  feed.dispose();
  runner.dispose();
  return { ort: graph.outputs.map((name) => Array.from(expected[name]?.data as ArrayLike<number | bigint>, Number)), lab };
}

const TRANSFORMS = ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT'];
const MODES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'];

interface RandomTrees {
  attrs: Attr[];
  thresholds: number[];
}

/** A seeded random ensemble: trees of depth 0–3, weights on every leaf for `columns` (one or several per leaf). */
function randomTrees(rand: () => number, features: number, columns: number[], weightPrefix: 'class' | 'target', opts: { mixedModes: boolean; asTensor: boolean; missing: boolean; positive: boolean }): RandomTrees {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const n = { tree: [] as number[], node: [] as number[], feature: [] as number[], mode: [] as string[], value: [] as number[], t: [] as number[], f: [] as number[], miss: [] as number[] };
  const w = { tree: [] as number[], node: [] as number[], id: [] as number[], weight: [] as number[] };
  const trees = 1 + Math.floor(rand() * 5);
  const thresholds: number[] = [];
  for (let tree = 0; tree < trees; tree += 1) {
    let next = 0;
    const grow = (depth: number): number => {
      const id = next++;
      const at = n.node.length;
      n.tree.push(tree); n.node.push(id); n.feature.push(0); n.mode.push('LEAF'); n.value.push(0); n.t.push(0); n.f.push(0); n.miss.push(0);
      if (depth < 3 && rand() < 0.75) {
        const threshold = Math.round((rand() * 4 - 2) * 8) / 8 + 0;
        thresholds.push(threshold);
        n.feature[at] = Math.floor(rand() * features);
        n.mode[at] = opts.mixedModes ? pick(MODES) : 'BRANCH_LEQ';
        n.value[at] = threshold;
        n.miss[at] = opts.missing && rand() < 0.5 ? 1 : 0;
        n.t[at] = grow(depth + 1);
        n.f[at] = grow(depth + 1);
      } else {
        const scored = columns.length === 1 || rand() < 0.7 ? columns : [pick(columns)];
        for (const c of scored) {
          w.tree.push(tree); w.node.push(id); w.id.push(c);
          w.weight.push(opts.positive ? Math.round(rand() * 16) / 16 : Math.round((rand() * 2 - 1) * 16) / 16);
        }
      }
      return id;
    };
    grow(0);
  }
  const attrs: Attr[] = [
    ints('nodes_treeids', n.tree), ints('nodes_nodeids', n.node), ints('nodes_featureids', n.feature), strs('nodes_modes', n.mode),
    opts.asTensor ? floatTensor('nodes_values_as_tensor', n.value) : floats('nodes_values', n.value),
    ints('nodes_truenodeids', n.t), ints('nodes_falsenodeids', n.f),
    ints(`${weightPrefix}_treeids`, w.tree), ints(`${weightPrefix}_nodeids`, w.node), ints(`${weightPrefix}_ids`, w.id), floats(`${weightPrefix}_weights`, w.weight),
  ];
  if (opts.missing) attrs.push(ints('nodes_missing_value_tracks_true', n.miss));
  return { attrs, thresholds };
}

/** Rows of random values, a quarter of them exactly at a threshold (or its float32 neighbours), some NaN when asked. */
function randomRows(rand: () => number, rows: number, features: number, thresholds: number[], nan: boolean): Float32Array {
  return Float32Array.from({ length: rows * features }, () => {
    const r = rand();
    if (nan && r < 0.08) return Number.NaN;
    if (r < 0.3 && thresholds.length > 0) {
      const t = thresholds[Math.floor(rand() * thresholds.length)] ?? 0;
      return rand() < 0.5 ? Math.fround(t) : float32Threshold(t, rand() < 0.5 ? 'BRANCH_LEQ' : 'BRANCH_LT');
    }
    return Math.round((rand() * 5 - 2.5) * 16) / 16;
  });
}

function expectClose(result: { ort: number[][]; lab: number[][] }, where: string, tolerance = 2e-5): void {
  expect(result.lab.length, where).toBe(result.ort.length);
  result.ort.forEach((expected, o) => {
    const actual = result.lab[o] ?? [];
    expect(actual.length, `${where} output ${o} length`).toBe(expected.length);
    expected.forEach((e, i) => {
      const a = actual[i] ?? Number.NaN;
      if (Number.isNaN(e)) expect(a, `${where} output ${o}[${i}]`).toBeNaN();
      else if (!Number.isFinite(e)) expect(a, `${where} output ${o}[${i}]`).toBe(e);
      else expect(Math.abs(a - e), `${where} output ${o}[${i}]: lab ${a}, onnxruntime ${e}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
    });
  });
}

beforeAll(async () => {
  ort.env.wasm.numThreads = 1;
  await tf.setBackend('cpu');
});

describe('ai.onnx.ml through the importer agrees with onnxruntime', () => {
  test('TreeEnsembleClassifier: 160 random ensembles in every configuration', async () => {
    const rand = seededRandom(2026);
    let compared = 0;
    const refusals = new Set<string>();
    for (let k = 0; k < 160; k += 1) {
      const classes = k % 4 === 3 ? 3 : 2;
      const oneColumn = classes === 2 && k % 2 === 0;
      const columns = oneColumn ? [k % 8 < 4 ? 1 : 0] : [...new Array<number>(classes).keys()];
      const opts = { mixedModes: k % 5 === 1, asTensor: k % 7 === 2, missing: k % 6 === 3, positive: k % 3 === 0 };
      const features = 3;
      const { attrs, thresholds } = randomTrees(rand, features, columns, 'class', opts);
      // 0, one per class, or (scikit-learn's binary gradient boosting) one for a binary ensemble scoring one class.
      const baseCount = k % 8 < 3 ? 0 : k % 8 < 6 || !oneColumn ? classes : 1;
      const transform = TRANSFORMS[Math.floor(k / 4) % TRANSFORMS.length] ?? 'NONE';
      attrs.push(ints('classlabels_int64s', [...new Array<number>(classes).keys()].map((c) => c * 10 + 3)), str('post_transform', transform));
      if (baseCount > 0) attrs.push(floats('base_values', Array.from({ length: baseCount }, () => Math.round((rand() - 0.5) * 16) / 16)));
      const bytes = model('TreeEnsembleClassifier', attrs, features, [{ name: 'label', type: DT.INT64, dims: [null] }, { name: 'probabilities', type: DT.FLOAT, dims: [null, classes] }]);
      const rows = 24;
      const result = await both(bytes, randomRows(rand, rows, features, thresholds, opts.missing), rows, features);
      const where = `case ${k}: ${classes} classes, columns ${columns.join('/')}, base ${baseCount}, ${transform}, ${JSON.stringify(opts)}`;
      if ('refused' in result) {
        refusals.add(result.refused);
        continue;
      }
      expectClose(result, where, transform === 'PROBIT' ? 2e-4 : 2e-5);
      compared += 1;
    }
    // Only the uses onnxruntime leaves unwritten are refused: most configurations run.
    for (const r of refusals) expect(r).toMatch(/PROBIT on a binary classifier with fewer than two base values/);
    expect(compared).toBeGreaterThan(120);
  }, 120_000);

  test('TreeEnsembleRegressor: sums, averages, one and two targets, base values, transforms', async () => {
    const rand = seededRandom(7);
    for (let k = 0; k < 40; k += 1) {
      const targets = k % 2 === 0 ? 1 : 2;
      const opts = { mixedModes: k % 5 === 1, asTensor: k % 7 === 2, missing: k % 6 === 3, positive: false };
      const { attrs, thresholds } = randomTrees(rand, 4, [...new Array<number>(targets).keys()], 'target', opts);
      const transform = TRANSFORMS[k % TRANSFORMS.length] ?? 'NONE';
      const base = k % 3 === 0 ? 0 : targets;
      attrs.push(int('n_targets', targets), str('post_transform', transform), str('aggregate_function', k % 4 < 2 ? 'SUM' : 'AVERAGE'));
      if (base > 0) attrs.push(floats('base_values', Array.from({ length: base }, () => 0.25)));
      const bytes = model('TreeEnsembleRegressor', attrs, 4, [{ name: 'variable', type: DT.FLOAT, dims: [null, targets] }]);
      const result = await both(bytes, randomRows(rand, 16, 4, thresholds, opts.missing), 16, 4);
      if ('refused' in result) throw new Error(`case ${k} refused: ${result.refused}`);
      expectClose(result, `regressor case ${k}: ${targets} targets, base ${base}, ${transform}, ${JSON.stringify(opts)}`, transform === 'PROBIT' ? 2e-4 : 2e-5);
    }
  }, 60_000);

  test('LinearClassifier and LinearRegressor: binary, multi-class, every transform', async () => {
    const rand = seededRandom(11);
    for (const classes of [1, 2, 3]) {
      for (const labels of classes === 1 ? [[4, 9], []] : [[...new Array<number>(classes).keys()].map((c) => c + 5)]) {
        for (const transform of TRANSFORMS) {
          const coefficients = Array.from({ length: classes * 3 }, () => Math.round((rand() * 2 - 1) * 32) / 32);
          const intercepts = Array.from({ length: classes }, () => Math.round((rand() - 0.5) * 8) / 8);
          const width = classes === 1 && labels.length === 2 ? 2 : classes;
          const attrs = [floats('coefficients', coefficients), floats('intercepts', intercepts), str('post_transform', transform), ...(labels.length > 0 ? [ints('classlabels_ints', labels)] : [])];
          const bytes = model('LinearClassifier', attrs, 3, [{ name: 'label', type: DT.INT64, dims: [null] }, { name: 'probabilities', type: DT.FLOAT, dims: [null, width] }]);
          const result = await both(bytes, randomRows(rand, 12, 3, [], false), 12, 3);
          const where = `LinearClassifier ${classes} rows, labels [${labels.join(',')}], ${transform}`;
          if ('refused' in result) {
            expect(result.refused, where).toMatch(/PROBIT on a binary classifier/);
            continue;
          }
          expectClose(result, where, transform === 'PROBIT' ? 2e-4 : 2e-5);
        }
      }
    }
    for (const targets of [1, 2]) {
      const attrs = [floats('coefficients', Array.from({ length: targets * 3 }, () => rand() - 0.5)), floats('intercepts', Array.from({ length: targets }, () => rand())), int('targets', targets)];
      const bytes = model('LinearRegressor', attrs, 3, [{ name: 'variable', type: DT.FLOAT, dims: [null, targets] }]);
      const result = await both(bytes, randomRows(rand, 8, 3, [], false), 8, 3);
      if ('refused' in result) throw new Error(result.refused);
      expectClose(result, `LinearRegressor ${targets} targets`);
    }
  }, 60_000);

  test('an unknown ai.onnx.ml operator and string class labels are refused at import, named', () => {
    const svm = model('SVMClassifier', [ints('classlabels_ints', [0, 1])], 3, [{ name: 'label', type: DT.INT64, dims: [null] }]);
    expect(() => importOnnxGraph(svm)).toThrow(/ai\.onnx\.ml::SVMClassifier \(opset 3\)/);
    const strings = model('LinearClassifier', [floats('coefficients', [1, 2, 3]), floats('intercepts', [0]), strs('classlabels_strings', ['no', 'yes'])], 3, [{ name: 'label', type: DT.STRING, dims: [null] }]);
    expect(() => importOnnxGraph(strings)).toThrow(/LinearClassifier \(opset 3\): string class labels/);
  });

  test('a double threshold decides float32 inputs as the double would', () => {
    const t = 0.1; // not a float32
    const below = float32Threshold(t, 'BRANCH_LEQ');
    const above = float32Threshold(t, 'BRANCH_LT');
    expect(below).toBeLessThan(t);
    expect(above).toBeGreaterThan(t);
    expect(Math.fround(below)).toBe(below);
    expect(Math.fround(above)).toBe(above);
    expect(float32Threshold(t, 'BRANCH_EQ')).toBeNaN();
    expect(float32Threshold(0.5, 'BRANCH_LEQ')).toBe(0.5);
  });
});
