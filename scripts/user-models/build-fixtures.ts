/**
 * `npm run fixtures`: builds the bring-your-own-model fixtures in
 * fixtures/user-models/ (see fixture-specs.ts and the README there):
 *
 * 1. the CPS rows a user would upload (cps-rows.csv) and the training split;
 * 2. the scikit-learn models, trained and written as ai.onnx.ml graphs by
 *    Debian's python3-sklearn and python3-onnx (sklearn_fixtures.py);
 * 3. the CNN, trained with TF.js in Node and written as a PyTorch-shaped ONNX
 *    file and a TF.js graph model, and the image folder it is evaluated on;
 * 4. native golden outputs (tools/reference/user-fixture-goldens.ts, when
 *    onnxruntime-node is installed there), which also check onnxruntime's
 *    answers against scikit-learn's own predict_proba;
 * 5. index.json: every file with its size and SHA-256.
 *
 * `npm run fixtures -- --check` (part of the unit tests) proves the committed
 * files are the ones index.json names, and rebuilds the deterministic data
 * steps (the CSV; the images when dataset-fashion-mnist is installed) byte for
 * byte. Training is not repeated there: it needs python3-sklearn and minutes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sha256, seconds } from '../models/build-common';
import { seededPermutation } from '../models/cps1988-data';
import { balancedIndices, k_fashion_mnist_dir, pick, readFashionMnist } from '../models/fashion-mnist-data';
import { formatJson } from '../models/json-format';
import { encodePng } from '../models/png';
import { cnnOnnxNchw, cnnTfjsGraphModel, k_class_folders, k_cnn_fixture_config, k_graph_shard, trainFixtureCnn } from './cnn-fixture';
import { cpsTables } from './cps-table';
import { goldenPath, k_cps_rows_file, k_fixtures, k_fixtures_dir, k_images_dir } from './fixture-specs';

/** Test images per class in the image folder. */
export const k_images_per_class = 10;
const k_python = '/usr/bin/python3';
const k_reference_runtime = 'tools/reference/node_modules/onnxruntime-node';
const k_index = 'index.json';

export interface FixtureIndex {
  schemaVersion: 1;
  note: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

const out = (path: string) => join(k_fixtures_dir, path);

async function write(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(out(path)), { recursive: true });
  await writeFile(out(path), bytes);
}

/** The image folder: the first k_images_per_class test images of each class, as RGB PNGs (R = G = B), named by their index in the test split. */
async function imageFolderFiles(): Promise<Map<string, Uint8Array>> {
  const test = await readFashionMnist('t10k');
  const indices = balancedIndices(test.labels, k_images_per_class);
  const files = new Map<string, Uint8Array>();
  for (const index of indices) {
    const one = pick(test, [index]);
    const rgb = new Uint8Array(one.pixels.length * 3);
    one.pixels.forEach((v, i) => rgb.fill(v, i * 3, i * 3 + 3));
    files.set(`${k_images_dir}/${k_class_folders[one.labels[0] as number]}/${String(index).padStart(5, '0')}.png`, encodePng({ width: 28, height: 28, pixels: rgb }));
  }
  return files;
}

async function buildTabular(log: (line: string) => void): Promise<void> {
  const tables = await cpsTables();
  await write(k_cps_rows_file, tables.rowsCsv);
  const scratch = mkdtempSync(join(tmpdir(), 'byom-fixtures-'));
  try {
    await writeFile(join(scratch, 'train.csv'), tables.trainCsv);
    await writeFile(join(scratch, 'rows.csv'), tables.rowsNumericCsv);
    log(`training the scikit-learn fixtures (${k_python}, python3-sklearn, python3-onnx)`);
    execFileSync(k_python, ['scripts/user-models/sklearn_fixtures.py', join(scratch, 'train.csv'), join(scratch, 'rows.csv'), scratch], { stdio: 'inherit' });
    for (const spec of k_fixtures.filter((f) => f.inputs.kind === 'csv')) {
      for (const file of spec.files) await write(file, await readFile(join(scratch, file)));
    }
    // scikit-learn's own probabilities on the fixture rows: the goldens step checks onnxruntime against them.
    await write('golden/sklearn-predict-proba.json', `${formatJson(JSON.parse(await readFile(join(scratch, 'sklearn.json'), 'utf8')))}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function buildImages(log: (line: string) => void): Promise<void> {
  if (!existsSync(k_fashion_mnist_dir)) throw new Error(`${k_fashion_mnist_dir} is absent (apt-get install dataset-fashion-mnist)`);
  const train = await readFashionMnist('train');
  const set = pick(train, seededPermutation(train.count, k_cnn_fixture_config.seed).slice(0, k_cnn_fixture_config.trainImages));
  const inputs = Float32Array.from(set.pixels, (p) => p / 255);
  log(`training the CNN fixture on ${set.count} images (TF.js CPU backend)`);
  const weights = await trainFixtureCnn(inputs, set.labels, log);
  await write('fashion-cnn-nchw.onnx', cnnOnnxNchw(weights));
  const graph = cnnTfjsGraphModel(weights);
  await write('fashion-cnn-graph/model.json', graph.modelJson);
  await write(`fashion-cnn-graph/${k_graph_shard}`, graph.shard);
  for (const [path, bytes] of await imageFolderFiles()) await write(path, bytes);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .filter((p) => p !== k_index && p !== 'README.md')
    .sort();
}

async function writeIndex(): Promise<void> {
  const files: FixtureIndex['files'] = {};
  for (const path of await listFiles(k_fixtures_dir)) {
    const bytes = new Uint8Array(await readFile(out(path)));
    files[path] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  const index: FixtureIndex = { schemaVersion: 1, note: 'Built by npm run fixtures (scripts/user-models/build-fixtures.ts); checked by npm run fixtures -- --check.', files };
  await write(k_index, `${formatJson(index)}\n`);
}

/** What --check finds: problems fail the check; notes say what could not be re-derived here. */
export async function checkFixtures(): Promise<{ problems: string[]; notes: string[] }> {
  const problems: string[] = [];
  const notes: string[] = [];
  const index = JSON.parse(await readFile(out(k_index), 'utf8')) as FixtureIndex;
  const present = await listFiles(k_fixtures_dir);
  for (const path of present) if (!(path in index.files)) problems.push(`${path}: not in ${k_index} (rebuild with npm run fixtures)`);
  for (const [path, want] of Object.entries(index.files)) {
    if (!present.includes(path)) {
      problems.push(`${path}: listed in ${k_index} but missing`);
      continue;
    }
    const bytes = new Uint8Array(await readFile(out(path)));
    if (bytes.byteLength !== want.bytes || sha256(bytes) !== want.sha256) problems.push(`${path}: ${bytes.byteLength} bytes, SHA-256 ${sha256(bytes).slice(0, 12)}…; ${k_index} says ${want.bytes} bytes, ${want.sha256.slice(0, 12)}…`);
  }
  for (const spec of k_fixtures) {
    for (const file of [...spec.files, goldenPath(spec.name)]) if (!(file in index.files)) problems.push(`fixture ${spec.name}: ${file} is not in ${k_index}`);
  }
  const tables = await cpsTables();
  if (tables.rowsCsv !== (await readFile(out(k_cps_rows_file), 'utf8'))) problems.push(`${k_cps_rows_file}: differs from a rebuild from ${'data/cps1988/cps1988.csv'}`);
  if (existsSync(k_fashion_mnist_dir)) {
    for (const [path, bytes] of await imageFolderFiles()) {
      if (index.files[path]?.sha256 !== sha256(bytes)) problems.push(`${path}: differs from a rebuild from ${k_fashion_mnist_dir}`);
    }
  } else {
    notes.push(`${k_fashion_mnist_dir} is absent: the image folder was checked against ${k_index} only`);
  }
  return { problems, notes };
}

async function build(only: string[]): Promise<void> {
  const log = (line: string) => console.log(line);
  const started = performance.now();
  if (only.length === 0 || only.includes('tabular')) await buildTabular(log);
  if (only.length === 0 || only.includes('images')) await buildImages(log);
  if (existsSync(k_reference_runtime)) {
    log('native golden outputs (tools/reference, onnxruntime-node)');
    execFileSync('npx', ['tsx', 'tools/reference/user-fixture-goldens.ts'], { stdio: 'inherit' });
  } else {
    log('Golden outputs need the native reference: ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/reference, then npx tsx tools/reference/user-fixture-goldens.ts');
  }
  await writeIndex();
  log(`fixtures built in ${seconds(performance.now() - started)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  if (argv.includes('--check')) {
    const { problems, notes } = await checkFixtures();
    notes.forEach((n) => console.log(`note: ${n}`));
    problems.forEach((p) => console.error(`DIFFERS: ${p}`));
    console.log(problems.length === 0 ? 'fixtures --check: every file matches index.json' : `fixtures --check: ${problems.length} problem(s)`);
    process.exitCode = problems.length === 0 ? 0 : 1;
  } else {
    await build(argv.flatMap((a, i) => (a === '--only' ? [argv[i + 1] ?? ''] : [])));
  }
}
