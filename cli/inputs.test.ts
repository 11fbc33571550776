import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateChecks } from '../src/lab/results/checks';
import fixture from '../src/lab/results/fixtures/results-chromium.json';
import { BadInputError } from './exit-codes';
import { toHtmlReport } from './html-report';
import { loadBaseline, loadBudget, loadPlan, loadResults } from './inputs';
import { presetPlan } from '../src/lab/runner/plan-presets';
import { toJUnit } from './junit';

const ZOO = ['cps-wage', 'fashion-mnist-cnn', 'esrgan-slim-x2'];
const dir = mkdtempSync(join(tmpdir(), 'inference-lab-inputs-'));
let n = 0;
function file(value: unknown): string {
  const path = join(dir, `input-${n++}.json`);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

/** The error a loader throws, asserting it is the CLI's bad-input kind (exit 2), not a crash (exit 4). */
function badInput(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return (error as Error).message;
  }
  throw new Error('expected the input to be refused');
}

const PLAN = { schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'ort-wasm' }], batchSizes: [1] };

describe('loadPlan', () => {
  it('builds the quick plan for a zoo id', () => {
    expect(loadPlan(undefined, 'fashion-mnist-cnn', ZOO).modelId).toBe('fashion-mnist-cnn');
    expect(loadPlan(undefined, undefined, ZOO).modelId).toBe('cps-wage');
  });

  it('builds a named preset as the page does, and refuses one that needs the browser\'s device or an unknown name', () => {
    const lecture = loadPlan(undefined, 'fashion-mnist-cnn', ZOO, 'lecture');
    expect(lecture).toEqual(presetPlan('lecture', 'fashion-mnist-cnn', 1));
    expect(badInput(() => loadPlan(undefined, undefined, ZOO, 'capstone'))).toMatch(/^--preset capstone is built from the browser's device/);
    expect(badInput(() => loadPlan(undefined, undefined, ZOO, 'lectures'))).toBe('--preset "lectures" is not a preset. Expected one of: quick, lecture, batch-sweep, sustained');
    expect(badInput(() => loadPlan(file(PLAN), undefined, ZOO, 'lecture'))).toMatch(/^--preset lecture and --plan .* each name a plan/);
  });

  it('refuses a well-formed id the zoo does not have, listing the zoo', () => {
    expect(badInput(() => loadPlan(undefined, 'no-such-model', ZOO))).toBe(
      'Unknown model "no-such-model" (--model): the lab\'s zoo has cps-wage, fashion-mnist-cnn, esrgan-slim-x2.',
    );
    expect(badInput(() => loadPlan(file({ ...PLAN, modelId: 'no-such-model' }), undefined, ZOO))).toMatch(
      /: modelId "no-such-model" is not in the lab's zoo \(it has cps-wage, fashion-mnist-cnn, esrgan-slim-x2\)\.$/,
    );
  });

  it('refuses a --model path that is no file, saying what it takes', () => {
    for (const path of ['file.onnx', './models/cps-wage', 'C:\\models\\a']) {
      expect(badInput(() => loadPlan(undefined, path, ZOO))).toBe(`--model "${path}": no such file. --model takes an ONNX file, a TF.js model.json, or the id of a model in the lab's zoo (cps-wage, fashion-mnist-cnn, esrgan-slim-x2).`);
    }
  });

  it('refuses an id that is not kebab-case, and --model beside --plan', () => {
    expect(badInput(() => loadPlan(undefined, 'CPS_Wage', ZOO))).toBe('--model "CPS_Wage" is not a model id (kebab-case, e.g. cps-wage). The lab\'s zoo has: cps-wage, fashion-mnist-cnn, esrgan-slim-x2.');
    expect(badInput(() => loadPlan(file(PLAN), 'cps-wage', ZOO))).toMatch(/^--model applies to the default plan only/);
  });

  it('refuses a plan whose embedded budget has a null limit', () => {
    expect(badInput(() => loadPlan(file({ ...PLAN, budget: { schemaVersion: 1, defaults: { maxP95Ms: null } } }), undefined, ZOO))).toMatch(
      /budget\.defaults\.maxP95Ms: Invalid input: expected number, received null/,
    );
  });
});

describe('loadBudget refuses null limits, naming the field', () => {
  const plan = loadPlan(undefined, undefined, ZOO);
  const cases: [unknown, string][] = [
    [{ schemaVersion: 1, defaults: { maxP95Ms: null } }, 'defaults.maxP95Ms: Invalid input: expected number, received null'],
    [{ schemaVersion: 1, defaults: { maxAbsDiff: null, maxRegression: null } }, 'defaults.maxAbsDiff: Invalid input: expected number, received null'],
    [{ schemaVersion: 1, defaults: null }, 'defaults: Invalid input: expected object, received null'],
    [{ schemaVersion: 1, cells: { 'ort-wasm': { maxP50Ms: null } } }, 'cells.ort-wasm.maxP50Ms: Invalid input: expected number, received null'],
    [{ schemaVersion: 1, cells: { 'ort-wasm': null } }, 'cells.ort-wasm: Invalid input: expected object, received null'],
    [{ schemaVersion: 1, require: null }, 'require: Invalid input: expected array, received null'],
    [{ schemaVersion: 1, allowErrored: null }, 'allowErrored: Invalid input: expected boolean, received null'],
    [{ schemaVersion: 1, bootstrap: { iterations: null } }, 'bootstrap.iterations: Invalid input: expected number, received null'],
  ];
  it.each(cases)('%j', (budget, message) => {
    expect(badInput(() => loadBudget(file(budget), plan))).toContain(message);
  });

  it('refuses a file that is not JSON, and one that is missing', () => {
    expect(badInput(() => loadBudget(file('{ "schemaVersion": 1, '), plan))).toMatch(/is not valid JSON/);
    expect(badInput(() => loadBudget(join(dir, 'absent.json'), plan))).toMatch(/^Cannot read the budget file/);
  });
});

/** Every object key in a JSON value, as paths. */
function keyPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, [...prefix, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...keyPaths(v, [...prefix, k])]);
}

function mutate(doc: unknown, path: (string | number)[], how: 'delete' | 'null'): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (how === 'delete') delete at[last];
  else at[last] = null;
  return copy;
}

describe('loadResults: a results file missing any field is refused by name or judged, never a crash', () => {
  it('accepts the file a CLI run wrote', () => {
    expect(loadResults(file(fixture)).cells.map((c) => c.state)).toEqual(['completed', 'unavailable']);
  });

  it('names a missing top-level field', () => {
    for (const key of ['plan', 'device', 'model', 'createdAt', 'status', 'wallMs']) {
      expect(badInput(() => loadResults(file(mutate(fixture, [key], 'delete'))))).toMatch(new RegExp(`^.*: Invalid results file:\\n${key}: Invalid (input|option)`));
    }
    expect(badInput(() => loadResults(file(mutate(fixture, ['cells', 1, 'reason'], 'delete'))))).toContain('cells.1.reason: Invalid input');
  });

  // Each field deleted, and each set to null, in turn: compare's whole path (budget, checks, baseline, JUnit, HTML) must either refuse
  // the file as bad input or run to the end.
  const paths = keyPaths(fixture);
  it(`holds for all ${paths.length} fields`, () => {
    expect(paths.length).toBeGreaterThan(100);
    const original = loadResults(file(fixture));
    const budget = loadBudget(undefined, original.plan);
    let refused = 0;
    for (const path of paths) {
      for (const how of ['delete', 'null'] as const) {
        const where = `${how} ${path.join('.')}`;
        const mutated = file(mutate(fixture, path, how));
        let results;
        try {
          results = loadResults(mutated);
        } catch (error) {
          expect(error, where).toBeInstanceOf(BadInputError);
          refused++;
          continue;
        }
        const baseline = loadBaseline(mutated)!;
        expect(() => {
          const checks = evaluateChecks(results, loadBudget(undefined, results.plan), undefined);
          toJUnit([{ browser: 'chromium', results, checks }]);
          toHtmlReport([{ browser: 'chromium', results, checks }]);
          evaluateChecks(original, { ...budget, defaults: { ...budget.defaults, maxRegression: 1.5 } }, baseline);
        }, where).not.toThrow();
      }
    }
    expect(refused).toBeGreaterThan(50);
  });
});
