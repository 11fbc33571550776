import { describe, expect, it } from 'vitest';
import { ENGINES } from '../engines/engine-descriptors';
import { cellName } from './cell-name';

describe('cellName', () => {
  it('names the engine, and the variant when it is not FP32', () => {
    expect(cellName({ descriptor: ENGINES['ort-wasm'], precision: 'fp32', format: 'onnx' })).toBe('ORT wasm');
    expect(cellName({ descriptor: ENGINES['ort-wasm'], precision: 'int8' })).toBe('ORT wasm INT8');
  });

  it('says when a TF.js engine ran the imported ONNX graph instead of its twin', () => {
    expect(cellName({ descriptor: ENGINES['tfjs-cpu'], precision: 'fp32', format: 'tfjs' })).toBe('TF.js CPU');
    expect(cellName({ descriptor: ENGINES['tfjs-cpu'], precision: 'int8', format: 'onnx' })).toBe('TF.js CPU (ONNX import) INT8');
  });
});
