import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeThreadedGlueSelfContained } from './tfjs-wasm-threads';

const glue = readFileSync(resolve(import.meta.dirname, '../node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'), 'utf8');
const inner = (code: string) => code.slice(code.indexOf('function(WasmBackendModuleThreadedSimd) {'));

describe('makeThreadedGlueSelfContained', () => {
  it('the installed glue reads the IIFE variable _scriptDir inside the factory its pthread workers run', () => {
    expect(inner(glue).match(/_scriptDir/g)?.length).toBe(4);
  });

  it('leaves the factory reading nothing outside itself, and the rest of the file as it was', () => {
    const fixed = makeThreadedGlueSelfContained(glue);
    expect(inner(fixed)).not.toContain('_scriptDir');
    expect(fixed.slice(0, fixed.indexOf('function(WasmBackendModuleThreadedSimd) {'))).toBe(glue.slice(0, glue.indexOf('function(WasmBackendModuleThreadedSimd) {')));
    expect(inner(fixed)).toContain('"urlOrBlob":Module["mainScriptUrlOrBlob"]||undefined,');
    // TF.js halves the core count it sees; doubled, its pool cap is hardwareConcurrency.
    expect(inner(fixed)).toContain('return navigator["hardwareConcurrency"]*2}');
    expect(inner(glue)).not.toContain('return navigator["hardwareConcurrency"]*2}');
  });

  it('fails the build loudly on glue it was not written for', () => {
    expect(() => makeThreadedGlueSelfContained('var x = 1;')).toThrow(/glue changed/);
    expect(() => makeThreadedGlueSelfContained('function(WasmBackendModuleThreadedSimd) { _scriptDir }')).toThrow(/exactly once/);
  });
});
