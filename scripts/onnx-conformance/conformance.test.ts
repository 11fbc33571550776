/**
 * All of ONNX's backend node tests that Debian's libonnx-testdata ships, on
 * TF.js cpu through the importer. Every test whose operators the importer
 * takes must pass at ONNX's tolerance; the others must be refused at import
 * with the operator named (never an unexplained error).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { type CaseResult, listCases, runCase, testdataInstalled } from './suite';

describe('ONNX backend node tests through the importer (tfjs-cpu)', () => {
  const results: CaseResult[] = [];

  beforeAll(async () => {
    if (!testdataInstalled()) {
      throw new Error('ONNX test data not found: install it with `sudo apt-get install libonnx-testdata` (or set ONNX_TESTDATA to its data/node folder)');
    }
    await tf.setBackend('cpu');
    for (const name of listCases()) results.push(await runCase(tf, name));
  }, 300_000);

  test('the suite is all there', () => {
    // Debian's libonnx-testdata 1.12 ships 932 node tests.
    expect(results.length).toBeGreaterThan(900);
  });

  test('every test the importer takes passes at rtol 1e-3, atol 1e-7', () => {
    const bad = results.filter((r) => r.state === 'fail' || r.state === 'error').map((r) => `${r.name}: ${'why' in r ? r.why : ''}`);
    expect(bad).toEqual([]);
    expect(results.filter((r) => r.state === 'pass').length).toBeGreaterThan(500);
  });

  test('every refused test names what is missing', () => {
    for (const r of results) if (r.state === 'unsupported') expect(r.why, r.name).toMatch(/cannot run|only 1-D and 2-D|TF.js cannot hold|the importer takes/);
  });

  test('nothing is left on the backend', () => {
    expect(tf.memory().numTensors).toBe(0);
  });
});
