import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findOutsideGpuDomainsIn } from './ort-gpu-domains';

const fixture = (name: string) => new Uint8Array(readFileSync(`fixtures/user-models/${name}`));

describe('findOutsideGpuDomainsIn', () => {
  it('refuses an ai.onnx.ml tree ensemble on WebGPU and WebNN, naming the operator', () => {
    expect(findOutsideGpuDomainsIn(fixture('cps-gbt.onnx'), 'webgpu')).toMatchObject({ kind: 'operator', subject: 'ai.onnx.ml.TreeEnsembleClassifier' });
    expect(findOutsideGpuDomainsIn(fixture('cps-logreg.onnx'), 'webnn')).toMatchObject({ kind: 'operator', subject: 'ai.onnx.ml.LinearClassifier' });
  });

  it('takes a graph of default-domain operators', () => {
    expect(findOutsideGpuDomainsIn(fixture('fashion-cnn-nchw.onnx'), 'webgpu')).toBeNull();
    expect(findOutsideGpuDomainsIn(new Uint8Array(readFileSync('public/models/cps-wage/onnx/model.fp32.onnx')), 'webnn')).toBeNull();
  });
});
