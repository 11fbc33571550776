import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnx } from '../models/onnx-proto-import';
import { ORT_WEBGL_OPERATORS, findWebglUnsupported } from './ort-webgl-support';

const LIB = resolve(import.meta.dirname, '../../../node_modules/onnxruntime-web/lib/onnxjs');

/** Parses `['Op', '', '7-10', ...]` rows of the installed package's resolve rules and merges each operator's opset ranges. */
function installedRules(): Map<string, [number, number | null]> {
  const text = readFileSync(resolve(LIB, 'backends/webgl/op-resolve-rules.ts'), 'utf8');
  const merged = new Map<string, [number, number | null]>();
  for (const m of text.matchAll(/\[\s*'(\w+)',\s*'([\w.]*)',\s*'(\d+)(?:(\+)|-(\d+))?'/g)) {
    const [, op, domain, from, plus, to] = m;
    if (domain !== '' || !op || !from) continue;
    const range: [number, number | null] = [Number(from), plus ? null : to ? Number(to) : Number(from)];
    const prev = merged.get(op);
    merged.set(op, prev ? [Math.min(prev[0], range[0]), prev[1] === null || range[1] === null ? null : Math.max(prev[1], range[1])] : range);
  }
  return merged;
}

function model(nodes: { op: string; attrs?: Record<string, string> }[], opset = 13, initType = onnx.TensorProto.DataType.FLOAT): Uint8Array {
  const graph = onnx.GraphProto.create({
    name: 'g',
    node: nodes.map((n, i) =>
      onnx.NodeProto.create({
        opType: n.op,
        input: [i === 0 ? 'x' : `y${i - 1}`],
        output: [`y${i}`],
        attribute: Object.entries(n.attrs ?? {}).map(([name, value]) =>
          onnx.AttributeProto.create({ name, s: new TextEncoder().encode(value), type: onnx.AttributeProto.AttributeType.STRING }),
        ),
      }),
    ),
    initializer: [onnx.TensorProto.create({ name: 'w', dims: [1], dataType: initType, rawData: new Uint8Array(initType === onnx.TensorProto.DataType.FLOAT16 ? 2 : 4) })],
    input: [onnx.ValueInfoProto.create({ name: 'x', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } })],
    output: [onnx.ValueInfoProto.create({ name: `y${nodes.length - 1}`, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } })],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: opset }], graph })).finish();
}

describe('ORT WebGL support table', () => {
  it('matches the operator table of the installed onnxruntime-web exactly', () => {
    const installed = installedRules();
    expect(installed.size).toBeGreaterThan(60);
    expect(new Map(ORT_WEBGL_OPERATORS.map(([op, from, to]) => [op, [from, to]]))).toEqual(installed);
  });

  it('still finds the type and Resize-mode refusals where the table says they are', () => {
    expect(readFileSync(resolve(LIB, 'util.ts'), 'utf8')).not.toMatch(/case onnx\.TensorProto\.DataType\.FLOAT16/);
    expect(readFileSync(resolve(LIB, 'backends/webgl/ops/resize-packed.ts'), 'utf8')).toMatch(/if \(attributes\.mode !== 'linear'\)/);
  });

  it('accepts a float32 MLP', () => {
    expect(findWebglUnsupported(model([{ op: 'MatMul' }, { op: 'Add' }, { op: 'Relu' }, { op: 'Softmax' }]))).toBeNull();
  });

  it('names the missing operator with its opset', () => {
    expect(findWebglUnsupported(model([{ op: 'MatMul' }, { op: 'DequantizeLinear' }]))).toEqual({
      kind: 'operator',
      subject: 'DequantizeLinear',
      source: 'onnxruntime-web 1.30 WebGL backend source (onnxjs)',
      engineWords: "cannot resolve operator 'DequantizeLinear' with opsets: ai.onnx v13",
    });
  });

  it('respects opset ranges: Split exists up to opset 12 only', () => {
    expect(findWebglUnsupported(model([{ op: 'Split' }], 12))).toBeNull();
    expect(findWebglUnsupported(model([{ op: 'Split' }], 13))?.subject).toBe('Split');
  });

  it('refuses float16 tensors as a data type', () => {
    expect(findWebglUnsupported(model([{ op: 'Relu' }], 13, onnx.TensorProto.DataType.FLOAT16))).toMatchObject({ kind: 'data-type', subject: 'FLOAT16' });
  });

  it('refuses a nearest Resize and accepts a linear one', () => {
    expect(findWebglUnsupported(model([{ op: 'Resize', attrs: { mode: 'nearest' } }]))).toMatchObject({ kind: 'attribute', subject: 'Resize mode "nearest"' });
    expect(findWebglUnsupported(model([{ op: 'Resize' }]))).toMatchObject({ kind: 'attribute' });
    expect(findWebglUnsupported(model([{ op: 'Resize', attrs: { mode: 'linear' } }]))).toBeNull();
  });
});
