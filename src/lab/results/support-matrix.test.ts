import { describe, expect, it } from 'vitest';
import { ENGINES } from '../engines/engine-descriptors';
import type { CellResult, ResultsDocument } from './results';
import type { SupportMatrix } from './support-matrix';
import { addToMatrix, matrixDifferences, matrixEntry, matrixRow } from './support-matrix';

const base = { cellId: '0:ort-webgl:int8', engine: 'ort-webgl', precision: 'int8', descriptor: ENGINES['ort-webgl'], phases: {}, wallMs: 1 } as const;
const unsupported: CellResult = {
  ...base,
  state: 'unavailable',
  reason: "cannot resolve operator 'DequantizeLinear' with opsets: ai.onnx v17",
  unsupported: { kind: 'operator', subject: 'DequantizeLinear', source: 'onnxruntime-web 1.30 WebGL operator table', engineWords: 'cannot resolve…' },
};
const probe: CellResult = { ...base, engine: 'ort-webnn', state: 'unavailable', reason: 'This browser does not offer WebNN (no navigator.ml).' };
const errored: CellResult = { ...base, state: 'errored', error: { kind: 'wrong-results', message: 'max |Δ| 0.4 > tolerance' } };

describe('support matrix', () => {
  it('keeps the kind and subject of what is missing, not the engine words; the reason of a failed probe; the kind of an error', () => {
    expect(matrixEntry(unsupported)).toEqual({ state: 'unavailable', kind: 'operator', subject: 'DequantizeLinear' });
    expect(matrixEntry(probe)).toEqual({ state: 'unavailable', kind: 'probe', reason: 'This browser does not offer WebNN (no navigator.ml).' });
    expect(matrixEntry(errored)).toEqual({ state: 'errored', kind: 'wrong-results' });
  });

  it('groups a run by model, engine and precision', () => {
    const doc = { model: { id: 'cps-wage' }, cells: [unsupported, probe] } as unknown as ResultsDocument;
    expect(addToMatrix({}, doc)).toEqual({
      'cps-wage': {
        'ort-webgl': { int8: { state: 'unavailable', kind: 'operator', subject: 'DequantizeLinear' } },
        'ort-webnn': { int8: { state: 'unavailable', kind: 'probe', reason: 'This browser does not offer WebNN (no navigator.ml).' } },
      },
    });
  });

  const expected: SupportMatrix = {
    m: {
      'ort-wasm': { fp32: { state: 'completed' }, int8: { state: 'completed' } },
      'ort-webgl': { int8: { state: 'unavailable', kind: 'operator', subject: 'DequantizeLinear' } },
    },
  };

  it('is silent when a run reproduces the matrix', () => {
    expect(matrixDifferences(expected, structuredClone(expected), 'm')).toEqual([]);
  });

  it('names a cell that no longer completes, one unavailable for another reason, and cells missing or new', () => {
    const actual: SupportMatrix = {
      m: {
        'ort-wasm': { fp32: { state: 'completed' }, int8: { state: 'errored', kind: 'wrong-results' } },
        'ort-webgl': { int8: { state: 'unavailable', kind: 'data-type', subject: 'INT8' }, fp16: { state: 'completed' } },
      },
    };
    expect(matrixDifferences(expected, actual, 'm')).toEqual([
      'm × ort-wasm × int8 no longer completes: expected completed, got errored (wrong-results)',
      'm × ort-webgl × fp16 changed: expected absent, got completed',
      'm × ort-webgl × int8 is unavailable for another reason: expected unavailable (operator DequantizeLinear), got unavailable (data-type INT8)',
    ]);
    const { 'ort-webgl': _dropped, ...fewer } = expected.m!;
    expect(matrixDifferences(expected, { m: fewer }, 'm')).toEqual(['m × ort-webgl × int8 changed: expected unavailable (operator DequantizeLinear), got absent']);
  });

  it('gives a TF.js engine reading the ONNX file a row of its own', () => {
    expect(matrixRow({ engine: 'tfjs-cpu', descriptor: ENGINES['tfjs-cpu'] })).toBe('tfjs-cpu');
    expect(matrixRow({ engine: 'tfjs-cpu', format: 'tfjs', descriptor: ENGINES['tfjs-cpu'] })).toBe('tfjs-cpu');
    expect(matrixRow({ engine: 'tfjs-cpu', format: 'onnx', descriptor: ENGINES['tfjs-cpu'] })).toBe('tfjs-cpu@onnx');
    expect(matrixRow({ engine: 'ort-wasm', format: 'onnx', descriptor: ENGINES['ort-wasm'] })).toBe('ort-wasm');
  });

  it('compares only the cells a partial run covered, and still names the ones it covered and lost', () => {
    const actual: SupportMatrix = { m: { 'ort-wasm': { fp32: { state: 'completed' } } } };
    expect(matrixDifferences(expected, actual, 'm', (row, p) => row === 'ort-wasm' && p === 'fp32')).toEqual([]);
    expect(matrixDifferences(expected, actual, 'm', (row) => row === 'ort-wasm')).toEqual(['m × ort-wasm × int8 no longer completes: expected completed, got absent']);
  });
});
