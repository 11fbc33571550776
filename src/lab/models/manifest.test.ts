import { describe, expect, test } from 'vitest';
import { parseManifest, parseManifestWithoutGolden, tabularFeatureCount } from './manifest';

/** A small valid manifest: 3 features (1 standardized + a 2-way one-hot), 2 classes, 1 golden row. */
function validManifest(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'tiny-model',
    name: 'Tiny',
    task: 'tabular-classification',
    description: 'A test model.',
    source: { data: 'made up', license: 'CC0' },
    license: 'MIT',
    inputs: [{ name: 'features', shape: [null, 3], dtype: 'float32' }],
    outputs: [{ name: 'probabilities', shape: [null, 2], dtype: 'float32' }],
    labels: ['no', 'yes'],
    featureNames: ['age', 'color=red', 'color=blue'],
    preprocessing: {
      kind: 'tabular',
      steps: [
        { type: 'standardize', column: 'age', mean: 40, std: 10 },
        { type: 'one-hot', column: 'color', categories: ['red', 'blue'] },
      ],
    },
    training: { recipe: 'none', seed: 1, epochs: 1, trainRows: 10, evalRows: 5, accuracy: { fp32: 0.8 } },
    artifacts: { fp32: { onnx: { path: 'onnx/model.onnx', bytes: 10, sha256: 'a'.repeat(64) }, tfjs: { path: 'tfjs/model.json', bytes: 20 } } },
    evaluation: { path: 'eval.json', rows: 5, sliceColumns: ['color'] },
    golden: { computedBy: 'hand', tolerance: 1e-4, rows: 1, inputs: [[0, 1, 0]], outputs: [[0.25, 0.75]] },
  };
}

/** The message parseManifest throws for `json`. */
function errorOf(json: unknown): string {
  try {
    parseManifest(json);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected parseManifest to throw');
}

describe('parseManifest', () => {
  test('accepts a valid manifest and returns its data', () => {
    const m = parseManifest(validManifest());
    expect(m.id).toBe('tiny-model');
    expect(m.inputs[0]?.shape).toEqual([null, 3]);
    expect(m.golden.outputs).toEqual([[0.25, 0.75]]);
  });

  test.each([
    ['inputs.0.shape.1', (m: Record<string, unknown>) => (m['inputs'] = [{ name: 'features', shape: [null, -3], dtype: 'float32' }])],
    ['id', (m: Record<string, unknown>) => (m['id'] = 'Tiny Model')],
    ['task', (m: Record<string, unknown>) => (m['task'] = 'regression')],
    ['schemaVersion', (m: Record<string, unknown>) => (m['schemaVersion'] = 2)],
    ['artifacts.fp32.onnx.sha256', (m: Record<string, unknown>) => (m['artifacts'] = { fp32: { onnx: { path: 'a.onnx', bytes: 1 } } })],
    ['artifacts.fp32', (m: Record<string, unknown>) => (m['artifacts'] = { fp32: {} })],
    ['golden', (m: Record<string, unknown>) => delete m['golden']],
    ['preprocessing.steps.0.std', (m: Record<string, unknown>) => (m['preprocessing'] = { kind: 'tabular', steps: [{ type: 'standardize', column: 'age', mean: 0, std: 0 }] })],
  ])('names the bad field %s', (field, breakIt) => {
    const m = validManifest();
    breakIt(m);
    expect(errorOf(m)).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}:`, 'm'));
  });

  test('checks names and golden rows against the shapes', () => {
    const m = validManifest();
    m['featureNames'] = ['age'];
    m['labels'] = ['only'];
    m['golden'] = { computedBy: 'hand', tolerance: 1e-4, rows: 1, inputs: [[0, 1]], outputs: [[1, 0, 0]] };
    const message = errorOf(m);
    expect(message).toMatch(/^featureNames: has 1 names, the shape says 3$/m);
    expect(message).toMatch(/^labels: has 1 labels, the shape says 2$/m);
    expect(message).toMatch(/^golden\.inputs\.0: has 2 values, the shape says 3$/m);
    expect(message).toMatch(/^golden\.outputs\.0: has 3 values, the shape says 2$/m);
  });

  test('golden rows must match the count', () => {
    const m = validManifest();
    m['golden'] = { computedBy: 'hand', tolerance: 1e-4, rows: 2, inputs: [[0, 1, 0]], outputs: [[0.25, 0.75]] };
    expect(errorOf(m)).toMatch(/^golden: inputs and outputs must each have `rows` rows$/m);
  });

  test('throws a TypeError for something that is not a manifest at all', () => {
    expect(() => parseManifest(null)).toThrow(TypeError);
    expect(() => parseManifest('manifest')).toThrow(/Invalid model manifest/);
  });
});

describe('parseManifestWithoutGolden', () => {
  test('accepts a manifest before golden outputs are added, and drops a stale golden', () => {
    const m = validManifest();
    delete m['golden'];
    expect(parseManifestWithoutGolden(m).id).toBe('tiny-model');
    expect('golden' in parseManifestWithoutGolden(validManifest())).toBe(false);
  });
});

test('tabularFeatureCount counts one feature per standardized column and per category', () => {
  expect(
    tabularFeatureCount({
      kind: 'tabular',
      steps: [
        { type: 'standardize', column: 'a', mean: 0, std: 1 },
        { type: 'one-hot', column: 'b', categories: ['x', 'y', 'z'] },
      ],
    }),
  ).toBe(4);
});
