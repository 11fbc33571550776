/**
 * Operator coverage of the ONNX → TF.js importer, measured on ONNX's own
 * backend node tests (Debian's libonnx-testdata): every test on TF.js cpu in
 * Node, and every test the importer takes on TF.js wasm, WebGL and WebGPU in
 * headless Chromium (through the dev server and the e2e harness module, the
 * same path the lab's cells take). Prints and saves the operator × backend
 * table; `--readme` rewrites it between the README's coverage markers.
 *
 *   npm run onnx:coverage [-- --backends wasm,webgl,webgpu] [--readme]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { HarnessTensor } from '../../e2e/harness/onnx-import-harness';
import { type HarnessModule, k_harness_module, openHarnessPage } from './harness-page';
import { importerSupports } from '../../src/lab/onnx-import/operators';
import { type CaseResult, checkOutputs, listCases, loadCase, runCase } from './suite';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { backends: { type: 'string', default: 'wasm,webgl,webgpu' }, readme: { type: 'boolean', default: false }, port: { type: 'string', default: '4390' } } });
const BROWSER_BACKENDS = values.backends.split(',').filter((b) => b !== '');

type Outcome = { state: CaseResult['state']; maxError?: number; why?: string };
const results: Record<string, Record<string, Outcome>> = {};
const record = (backend: string, name: string, o: Outcome) => ((results[name] ??= {})[backend] = o);

// TF.js cpu in Node: every test.
await tf.setBackend('cpu');
const cpu = new Map<string, CaseResult>();
for (const name of listCases()) {
  const r = await runCase(tf, name);
  cpu.set(name, r);
  record('cpu', name, { state: r.state, ...('maxError' in r ? { maxError: r.maxError } : {}), ...('why' in r ? { why: r.why } : {}) });
}
console.log(`tfjs-cpu: ${[...cpu.values()].filter((r) => r.state === 'pass').length} of ${cpu.size} tests pass`);

// The browser backends: the tests the importer takes (a refusal at import is the same on every backend).
const taken = [...cpu.values()].filter((r) => r.state !== 'unsupported').map((r) => r.name);
const refusedAtImport = [...cpu.values()].filter((r) => r.state === 'unsupported');
const browserNote: string[] = [];
if (BROWSER_BACKENDS.length > 0) {
  const { page, start, close } = await openHarnessPage(ROOT, Number(values.port));
  try {
    for (const backend of BROWSER_BACKENDS) {
      const started = await start(backend);
      if (started !== backend) {
        browserNote.push(`tfjs-${backend}: ${started}`);
        for (const name of taken) record(backend, name, { state: 'unsupported', why: started });
        continue;
      }
      for (const r of refusedAtImport) record(backend, r.name, { state: 'unsupported', ...('why' in r ? { why: r.why } : {}) });
      let passed = 0;
      for (const name of taken) {
        const data = loadCase(name);
        let outcome: Outcome = { state: 'pass', maxError: 0 };
        for (const set of data.sets()) {
          const inputs: HarnessTensor[] = set.inputs.map((t) => ({ data: [...(t.wide ?? t.data)], dims: t.dims, dtype: t.dtype }));
          const outs = await page.evaluate(
            async ({ model, inputs, h }) => {
              try {
                return await ((await import(/* @vite-ignore */ h)) as HarnessModule).runModel(model, inputs);
              } catch (error) {
                return String(error);
              }
            },
            { model: [...data.bytes], inputs, h: k_harness_module },
          );
          if (typeof outs === 'string') {
            outcome = { state: 'error', why: outs };
            break;
          }
          const check = checkOutputs(outs, set.expected);
          outcome = { state: check.why ? 'fail' : 'pass', maxError: Math.max(outcome.maxError ?? 0, check.maxError), ...(check.why ? { why: check.why } : {}) };
          if (check.why) break;
        }
        if (outcome.state === 'pass') passed += 1;
        record(backend, name, outcome);
      }
      console.log(`tfjs-${backend}: ${passed} of ${taken.length} tests the importer takes pass`);
    }
  } finally {
    await close();
  }
}

// Per operator: the tests that use it, and how they ended on each backend.
const backends = ['cpu', ...BROWSER_BACKENDS];
const byOp = new Map<string, string[]>();
for (const r of cpu.values()) for (const op of r.ops) byOp.set(op, [...(byOp.get(op) ?? []), r.name]);
const cellText = (op: string, backend: string): string => {
  const names = byOp.get(op) ?? [];
  const outcomes = names.map((n) => results[n]?.[backend]).filter((o): o is Outcome => o !== undefined);
  const pass = outcomes.filter((o) => o.state === 'pass').length;
  const fail = outcomes.filter((o) => o.state === 'fail' || o.state === 'error').length;
  const refused = outcomes.filter((o) => o.state === 'unsupported').length;
  if (refused === names.length) return 'refused';
  const worst = Math.max(0, ...outcomes.filter((o) => o.state === 'pass').map((o) => o.maxError ?? 0));
  return `${pass}/${names.length - refused}${fail > 0 ? ` (${fail} ✗)` : ''}${worst > 0 ? ` ≤${worst.toExponential(0)}` : ''}${refused > 0 ? `, ${refused} refused` : ''}`;
};
const ops = [...byOp.keys()].sort();
const supported = ops.filter((op) => {
  const [domain, name] = op.includes('::') ? (op.split('::') as [string, string]) : ['', op];
  return importerSupports(name, domain);
});
const allSupported = [...cpu.values()].filter((r) => r.ops.every((op) => supported.includes(op)));
const passing = allSupported.filter((r) => r.state === 'pass');
const share = allSupported.length > 0 ? passing.length / allSupported.length : 0;
const header = `| operator | tests | ${backends.map((b) => `tfjs-${b}`).join(' | ')} |`;
const lines = [
  `${passing.length} of the ${allSupported.length} node tests whose operators are all in the importer's list pass on tfjs-cpu at rtol 1e-3, atol 1e-7 (${(share * 100).toFixed(1)}%; the rest are refused at import for an attribute, mode or type the importer names). Cells: tests passed / tests run, "✗" failed, "≤" the largest absolute error of a passing test, "refused" refused at import with the reason named. ${cpu.size} tests, libonnx-testdata, ${new Date().toISOString().slice(0, 10)}.`,
  ...(browserNote.length > 0 ? ['', `Not run: ${browserNote.join('; ')}.`] : []),
  '',
  header,
  `| --- | --- | ${backends.map(() => '---').join(' | ')} |`,
  ...supported.map((op) => `| ${op} | ${byOp.get(op)?.length ?? 0} | ${backends.map((b) => cellText(op, b)).join(' | ')} |`),
  '',
  `Operators in the suite that the importer lacks (their tests are refused at import, naming them): ${ops.filter((op) => !supported.includes(op)).join(', ')}.`,
];
const table = lines.join('\n');
console.log(`\n${table}`);

const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `onnx-coverage-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ backends, share, passing: passing.length, allSupported: allSupported.length, ops: Object.fromEntries([...cpu].map(([n, r]) => [n, r.ops])), results }, null, 1)}\n`);
console.log(`\nsaved ${file}`);

if (values.readme) {
  const readmePath = join(ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- onnx-coverage:start -->';
  const end = '<!-- onnx-coverage:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  writeFileSync(readmePath, `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);
  console.log('README.md coverage table rewritten');
}
