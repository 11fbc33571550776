/**
 * `inference-lab run --model FILE` on every bring-your-own-model fixture
 * (a tiny plan: ORT wasm with fidelity, TF.js CPU), native goldens where
 * onnxruntime-node is installed, and each kind of bad input exiting 2 with the
 * problem named, before any browser starts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ResultsDocument } from '../src/lab/results/results';
import { k_cps_features, k_cps_label } from '../scripts/user-models/cps-table';
import { k_fixtures, k_fixtures_dir } from '../scripts/user-models/fixture-specs';
import { TEST_RULES } from './lab-page';

const BIN = resolve(import.meta.dirname, '../bin/inference-lab.js');
const fixture = (name: string) => resolve(k_fixtures_dir, name);
const nativeInstalled = (() => {
  try {
    readFileSync(resolve('tools/reference/node_modules/onnxruntime-node/package.json'));
    return true;
  } catch {
    return false;
  }
})();

function cli(args: string[]): { status: number | null; stdout: string; stderr: string; out: string } {
  const out = mkdtempSync(join(tmpdir(), 'inference-lab-byom-'));
  const r = spawnSync(process.execPath, [BIN, 'run', ...args, '--out', out], { encoding: 'utf8', timeout: 170_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

function scratch(name: string, bytes: Uint8Array | string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'inference-lab-bad-')), name);
  writeFileSync(path, bytes);
  return path;
}

const plan = scratch('plan.json', JSON.stringify({ schemaVersion: 1, modelId: 'user', cells: [{ engine: 'ort-wasm', fidelity: true }, { engine: 'tfjs-cpu' }], batchSizes: [1], rules: { ...TEST_RULES, blockMinSamples: 2, blockMaxSamples: 3 } }));
const csvArgs = ['--data', fixture('cps-rows.csv'), '--features', k_cps_features.join(','), '--label-column', k_cps_label, '--slices', 'ethnicity,region'];

/** One of each kind (a ZipMap'd tree ensemble with a CSV, the PyTorch-shaped CNN with an image folder, the TF.js graph model): every fixture runs through the same page path in your-model.spec.ts. */
const k_cli_fixtures = ['cps-gbt-zipmap', 'fashion-cnn-nchw', 'fashion-cnn-graph'];

test('--model on a fixture of each kind: results with the reference used named, cells completed or unavailable with their reason', () => {
  test.setTimeout(170_000);
  for (const spec of k_fixtures.filter((f) => k_cli_fixtures.includes(f.name))) {
    const data = spec.inputs.kind === 'csv' ? csvArgs : ['--data', fixture(spec.inputs.folder)];
    const run = cli(['--model', fixture(spec.files[0] ?? ''), ...data, '--plan', plan]);
    expect(run.status, `${spec.name}\n${run.stderr}${run.stdout}`).toBe(0);
    const results = JSON.parse(readFileSync(join(run.out, 'results-chromium.json'), 'utf8')) as ResultsDocument;
    const native = nativeInstalled && spec.format === 'onnx';
    expect(run.stdout, spec.name).toContain(native ? 'reference: native onnxruntime-node' : 'reference: FP32 in the page');
    expect(results.model.reference?.kind, spec.name).toBe(native ? 'native' : 'page');
    expect(results.model.userModel?.sha256, spec.name).toMatch(/^[0-9a-f]{64}$/);
    const [ort, tfjs] = results.cells;
    if (spec.format === 'onnx') {
      expect(ort?.state, spec.name).toBe('completed');
      if (ort?.state === 'completed') expect(ort.fidelity?.state, spec.name).toBe('measured');
    } else {
      expect(ort).toMatchObject({ state: 'unavailable', reason: 'ORT wasm reads ONNX models, not TF.js' });
      expect(tfjs?.state).toBe('completed');
    }
    expect(['completed', 'unavailable'], `${spec.name} TF.js CPU`).toContain(tfjs?.state);
  }
});

test('bad model and data files exit 2 naming the problem, before a browser starts (every kind: cli/user-model.test.ts)', () => {
  const csv = readFileSync(fixture('cps-rows.csv'), 'utf8');
  const lines = csv.split('\n');
  lines[3] = lines[3]!.replace(/^\d+/, 'NaN');
  const cases: { args: string[]; says: RegExp }[] = [
    { args: ['--model', scratch('picture.onnx', readFileSync(fixture('fashion-images/1-trouser/00002.png')))], says: /picture\.onnx is not an ONNX model: it looks like a PNG image/ },
    { args: ['--model', fixture('cps-gbt.onnx'), '--data', scratch('nan.csv', lines.join('\n')), '--features', k_cps_features.join(','), '--label-column', k_cps_label], says: /column "education", data row 3 \(line 4\) of nan\.csv is NaN: the model needs finite numbers/ },
  ];
  for (const { args, says } of cases) {
    const r = spawnSync(process.execPath, [BIN, 'run', ...args, '--out', mkdtempSync(join(tmpdir(), 'inference-lab-bad-out-'))], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, `${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(2);
    expect(r.stderr).toMatch(says);
    expect(r.stderr, 'no stack trace').not.toMatch(/\n\s+at |unexpected failure/);
    expect(r.stdout, 'no browser started').not.toContain('Serving the lab');
  }
});
