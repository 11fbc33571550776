import { describe, expect, test } from 'vitest';
import { k_manifest_schema_version, parseManifest, parseManifestWithoutGolden, tabularFeatureCount } from './manifest';

/** A small valid manifest: 3 features (1 standardized + a 2-way one-hot), 2 classes, 1 golden row. */
function validManifest(): Record<string, unknown> {
  return {
    schemaVersion: k_manifest_schema_version,
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
    artifacts: { fp32: { onnx: { path: 'onnx/model.onnx', bytes: 10, sha256: 'a'.repeat(64) }, tfjs: { path: 'tfjs/model.json', bytes: 20, sha256: 'b'.repeat(64) } } },
    evaluation: { format: 'json', path: 'eval.json', rows: 5, sliceColumns: ['color'] },
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
    ['schemaVersion', (m: Record<string, unknown>) => (m['schemaVersion'] = 1)],
    ['artifacts.fp32.tfjs.sha256', (m: Record<string, unknown>) => (m['artifacts'] = { fp32: { tfjs: { path: 'tfjs/model.json', bytes: 20 } } })],
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

/** A valid image-to-image manifest: 2×2 RGB in, 4×4 RGB out, golden outputs in files. */
function imageManifest(): Record<string, unknown> {
  return {
    ...validManifest(),
    id: 'tiny-sr',
    task: 'image-to-image',
    inputs: [{ name: 'image', shape: [null, 2, 2, 3], dtype: 'float32' }],
    outputs: [{ name: 'upscaled', shape: [null, 4, 4, 3], dtype: 'float32' }],
    labels: undefined,
    featureNames: undefined,
    training: undefined,
    preprocessing: { kind: 'image', layout: 'NHWC', height: 2, width: 2, channels: 3, colorSpace: 'RGB', scale: 1, offset: 0 },
    postprocessing: { kind: 'image', layout: 'NHWC', height: 4, width: 4, channels: 3, scale: 1, offset: 0 },
    evaluation: {
      format: 'uint8-images',
      rows: 3,
      images: { path: 'eval/images.u8', height: 2, width: 2, channels: 3, bytes: 36, sha256: 'b'.repeat(64) },
      targets: { path: 'eval/targets.u8', height: 4, width: 4, channels: 3, bytes: 144, sha256: 'c'.repeat(64) },
      sliceColumns: [],
    },
    quality: { metric: 'psnr-db', description: 'vs originals', values: { fp32: 30 }, baseline: { name: 'bilinear', value: 28 } },
    golden: {
      computedBy: 'hand',
      tolerance: 0.01,
      toleranceNote: 'pixel units',
      rows: 2,
      file: { inputs: 'golden/inputs.f32', outputs: 'golden/outputs.f32', dtype: 'float32' },
    },
  };
}

describe('parseManifest: image models and golden files', () => {
  test('accepts an image-to-image manifest with golden outputs in files', () => {
    const m = parseManifest(imageManifest());
    expect(m.golden.file?.outputs).toBe('golden/outputs.f32');
    expect(m.evaluation?.format).toBe('uint8-images');
  });

  test('golden needs exactly one of inline rows and files', () => {
    const both = imageManifest();
    both['golden'] = { ...(both['golden'] as object), inputs: [[0]], outputs: [[0]] };
    expect(errorOf(both)).toMatch(/^golden: needs exactly one of inline `inputs` \+ `outputs`, or `file`$/m);
    const neither = validManifest();
    neither['golden'] = { computedBy: 'hand', tolerance: 1e-4, rows: 1 };
    expect(errorOf(neither)).toMatch(/^golden: needs exactly one/m);
  });

  test('a tolerance above 1e-4 must say why', () => {
    const m = imageManifest();
    m['golden'] = { ...(m['golden'] as object), toleranceNote: undefined };
    expect(errorOf(m)).toMatch(/^golden\.toleranceNote: explain a tolerance above 1e-4$/m);
  });

  test('image sizes must agree with the tensors and the byte counts', () => {
    const m = imageManifest();
    m['preprocessing'] = { kind: 'image', layout: 'NHWC', height: 3, width: 2, channels: 3, colorSpace: 'RGB', scale: 1, offset: 0 };
    const evaluation = m['evaluation'] as Record<string, unknown>;
    evaluation['images'] = { path: 'eval/images.u8', height: 2, width: 2, channels: 3, bytes: 35, sha256: 'b'.repeat(64) };
    const message = errorOf(m);
    expect(message).toMatch(/^preprocessing: is 3×2×3, the tensor shape is \[null, 2, 2, 3\]$/m);
    expect(message).toMatch(/^evaluation\.images\.bytes: has 35 bytes, the shape says 36$/m);
    expect(message).toMatch(/^evaluation\.images: is 2×2×3, the tensor shape is \[null, 3, 2, 3\]$/m);
  });

  test('an evaluation without a known format is rejected', () => {
    const m = validManifest();
    m['evaluation'] = { path: 'eval.json', rows: 5, sliceColumns: [] };
    expect(errorOf(m)).toMatch(/^evaluation\.format:/m);
  });
});
