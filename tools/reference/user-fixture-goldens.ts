/**
 * Native golden outputs of the bring-your-own-model fixtures
 * (fixtures/user-models, scripts/user-models/fixture-specs.ts), computed by
 * onnxruntime-node (CPU EP, one thread):
 *
 * - tabular fixtures: the first rows of cps-rows.csv; onnxruntime's
 *   probabilities must match scikit-learn's own predict_proba on every row of
 *   the CSV within 1e-6, which proves the hand-written ai.onnx.ml graphs
 *   mean what the trained estimators mean;
 * - image fixtures: the first images of each class folder, pixel / 255;
 *   the TF.js graph model's goldens are its ONNX twin's (the same weights;
 *   one channel, so NCHW and NHWC rows are the same numbers).
 *
 * ZipMap's sequence-of-maps output cannot be read back by onnxruntime-node
 * ("Non tensor type is temporarily not supported"), so for the ZipMap
 * fixtures the golden outputs come from the graph without its ZipMap (the
 * lab's own transform, src/lab/models/user/onnx-zipmap.ts), and the file says so.
 *
 *   npx tsx tools/reference/user-fixture-goldens.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeFloat32LE } from '../../src/lab/models/golden';
import { decodeModel, encodeModel } from '../../src/lab/models/onnx-model-edit';
import { removeZipMaps } from '../../src/lab/models/user/onnx-zipmap';
import { formatJson, float32Rows } from '../../scripts/models/json-format';
import { decodePng } from '../../scripts/models/png';
import { type FixtureSpec, goldenPath, k_fixtures, k_fixtures_dir, k_golden_images_per_class, k_tabular_golden_rows } from '../../scripts/user-models/fixture-specs';
import { readdir } from 'node:fs/promises';

const computedBy = `onnxruntime-node ${ort.env.versions.node ?? '?'} (CPU EP, 1 thread)`;
const k_sklearn_tolerance = 1e-6;
export const k_golden_images_file = 'golden/fashion-images.inputs.f32';

interface Table {
  header: string[];
  rows: string[][];
}

async function readCsv(path: string): Promise<Table> {
  const [head, ...lines] = (await readFile(path, 'utf8')).trimEnd().split('\n');
  return { header: (head ?? '').split(','), rows: lines.map((l) => l.split(',')) };
}

function columns(table: Table, names: readonly string[]): number[][] {
  const at = names.map((n) => table.header.indexOf(n));
  return table.rows.map((row) => at.map((i) => Number(row[i])));
}

/** Images of an ImageFolder tree, classes and files in sorted order: the first `perClass` of each, pixel / 255 (R channel; the PNGs are grey). */
async function folderImages(folder: string, perClass: number): Promise<{ inputs: Float32Array; files: string[] }> {
  const classes = (await readdir(folder)).sort();
  const files: string[] = [];
  for (const c of classes) files.push(...(await readdir(join(folder, c))).sort().slice(0, perClass).map((f) => `${c}/${f}`));
  const inputs = new Float32Array(files.length * 28 * 28);
  for (const [i, file] of files.entries()) {
    const image = decodePng(new Uint8Array(await readFile(join(folder, file))));
    for (let p = 0; p < 28 * 28; p++) inputs[i * 784 + p] = Math.fround((image.pixels[p * 3] as number) / 255);
  }
  return { inputs, files };
}

async function run(bytes: Uint8Array, input: string, data: Float32Array, dims: number[], output: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const result = await session.run({ [input]: new ort.Tensor('float32', data, dims) }, [output]);
    const values = result[output]?.data;
    if (!(values instanceof Float32Array)) throw new Error(`output ${output} is not float32`);
    return values;
  } finally {
    await session.release();
  }
}

function rowsOf(values: Float32Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, r) => Array.from(values.subarray(r * width, (r + 1) * width)));
}

async function tabular(spec: FixtureSpec, sklearn: Record<string, { predictProba: number[][] }>): Promise<object> {
  if (spec.inputs.kind !== 'csv') throw new Error('not tabular');
  const table = await readCsv(join(k_fixtures_dir, spec.inputs.file));
  const all = columns(table, spec.inputs.features);
  const model = decodeModel(new Uint8Array(await readFile(join(k_fixtures_dir, spec.files[0] ?? ''))));
  const zipMaps = removeZipMaps(model);
  const outputs = await run(encodeModel(model), 'float_input', Float32Array.from(all.flat()), [all.length, spec.inputs.features.length], spec.output);
  const expected = sklearn[spec.name.replace(/-zipmap$/, '')]?.predictProba;
  if (!expected) throw new Error(`${spec.name}: no scikit-learn predictions`);
  let worst = 0;
  expected.forEach((row, r) => row.forEach((p, c) => (worst = Math.max(worst, Math.abs(p - (outputs[r * 2 + c] as number))))));
  if (!(worst <= k_sklearn_tolerance)) throw new Error(`${spec.name}: onnxruntime differs from scikit-learn's predict_proba by ${worst}`);
  const rows = Math.min(k_tabular_golden_rows, all.length);
  return {
    fixture: spec.name,
    computedBy,
    ...(zipMaps.length > 0 ? { graph: `${spec.files[0]} without its ZipMap (its sequence-of-maps output cannot be read back natively); the probability tensor it would package, columns in class order ${JSON.stringify(zipMaps[0]?.classLabels)}` } : { graph: spec.files[0] }),
    output: spec.output,
    rows,
    inputs: float32Rows(all.slice(0, rows)),
    outputs: float32Rows(rowsOf(outputs.subarray(0, rows * 2), 2)),
    sklearnMaxAbsDiff: worst,
    sklearnRows: all.length,
  };
}

async function images(spec: FixtureSpec): Promise<object> {
  if (spec.inputs.kind !== 'images') throw new Error('not images');
  const { inputs, files } = await folderImages(join(k_fixtures_dir, spec.inputs.folder), k_golden_images_per_class);
  await writeFile(join(k_fixtures_dir, k_golden_images_file), encodeFloat32LE(inputs));
  const file = spec.nativeTwin ?? spec.files[0] ?? '';
  const outputs = await run(new Uint8Array(await readFile(join(k_fixtures_dir, file))), 'input', inputs, [files.length, 1, 28, 28], 'logits');
  return {
    fixture: spec.name,
    computedBy,
    graph: spec.nativeTwin ? `${file}, the ONNX twin with the same weights (one channel: the NHWC rows are the same numbers)` : file,
    output: spec.output,
    rows: files.length,
    inputImages: files,
    inputsFile: k_golden_images_file.replace(/^golden\//, ''),
    outputs: float32Rows(rowsOf(outputs, 10)),
  };
}

const sklearn = JSON.parse(await readFile(join(k_fixtures_dir, 'golden/sklearn-predict-proba.json'), 'utf8')) as Record<string, { predictProba: number[][] }>;
for (const spec of k_fixtures) {
  const golden = spec.inputs.kind === 'csv' ? await tabular(spec, sklearn) : await images(spec);
  await writeFile(join(k_fixtures_dir, goldenPath(spec.name)), `${formatJson(golden)}\n`);
  console.log(`${spec.name}: golden outputs by ${computedBy}`);
}
