/**
 * The measured graph's edge adapters (packed inputs, casts, chosen output)
 * and INT8's dynamic fallback, run on onnxruntime-web wasm in Node against
 * the untouched graphs.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { castAttribute, DataType, decodeModel, float32Tensor, graphOf } from '../onnx-model-edit';
import { onnx } from '../onnx-proto-import';
import { measuredGraph } from './onnx-measured-graph';
import { int8Base, userInt8 } from './user-int8';

const tensor = (name: string, type: number, dims: (number | string)[]): OnnxTypes.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});

function model(graph: OnnxTypes.IGraphProto): Uint8Array {
  return new Uint8Array(onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph })).finish());
}

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, output: string): Promise<Float32Array> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes);
  try {
    return (await session.run(feeds, [output]))[output]?.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('measuredGraph', () => {
  it('packs a float input and an int64 input into one float row, and reads the float output', async () => {
    // y = x + float(k) per column; a second output (an int64 copy) the lab does not read.
    const bytes = model({
      name: 'two-inputs',
      input: [tensor('x', DataType.FLOAT, ['N', 2]), tensor('k', DataType.INT64, ['N', 2])],
      output: [tensor('k_out', DataType.INT64, ['N', 2]), tensor('y', DataType.FLOAT, ['N', 2])],
      node: [
        { opType: 'Cast', input: ['k'], output: ['kf'], name: 'cast', attribute: [castAttribute(DataType.FLOAT)] },
        { opType: 'Add', input: ['x', 'kf'], output: ['y'], name: 'add' },
        { opType: 'Identity', input: ['k'], output: ['k_out'], name: 'copy' },
      ],
    });
    const m = measuredGraph(decodeModel(bytes), bytes);
    expect(m.input).toEqual({ name: 'lab_packed_input', exampleDims: [4] });
    expect(m.output).toEqual({ name: 'y', exampleDims: [2] });
    expect(m.feeds.map((f) => `${f.name}:${f.type}:${f.values}`)).toEqual(['x:float32:2', 'k:int64:2']);
    expect(m.changes.join('\n')).toMatch(/Outputs the lab does not read removed: "k_out" \(int64\), and the 1 node\(s\) only they needed/);
    const packed = await run(m.bytes, { lab_packed_input: new ort.Tensor('float32', Float32Array.of(0.5, 1.5, 2, 3, -1, 0.25, 7, 1), [2, 4]) }, 'y');
    expect(Array.from(packed)).toEqual([2.5, 4.5, 6, 1.25]);
  });

  it('asks for the value of a symbolic dimension other than the batch, and uses it', () => {
    const bytes = model({ name: 'seq', input: [tensor('x', DataType.FLOAT, ['N', 'seq'])], output: [tensor('y', DataType.FLOAT, ['N', 'seq'])], node: [{ opType: 'Relu', input: ['x'], output: ['y'], name: 'relu' }] });
    expect(() => measuredGraph(decodeModel(bytes), bytes)).toThrow('Set a value for dimension "seq" (input "x" axis 1, output "y" axis 1)');
    const m = measuredGraph(decodeModel(bytes), bytes, { dims: { seq: 5 } });
    expect(m.input.exampleDims).toEqual([5]);
    expect(m.changes).toEqual(['Symbolic dimensions set: seq = 5']);
  });

  it('leaves a graph that needs nothing byte for byte as it came', () => {
    const bytes = model({ name: 'plain', input: [tensor('x', DataType.FLOAT, ['N', 3])], output: [tensor('y', DataType.FLOAT, ['N', 3])], node: [{ opType: 'Relu', input: ['x'], output: ['y'], name: 'relu' }] });
    const m = measuredGraph(decodeModel(bytes), bytes);
    expect(m.bytes).toBe(bytes);
    expect(m.changes).toEqual([]);
  });
});

describe('userInt8', () => {
  const weights = Float32Array.from({ length: 12 }, (_, i) => ((i * 7) % 5) / 5 - 0.4);
  const bytes = model({
    name: 'gemm',
    input: [tensor('x', DataType.FLOAT, ['N', 4])],
    output: [tensor('y', DataType.FLOAT, ['N', 3])],
    initializer: [float32Tensor('w', [3, 4], weights), float32Tensor('b', [3], [0.1, -0.2, 0.3])],
    node: [{ opType: 'Gemm', input: ['x', 'w', 'b'], output: ['y'], name: 'fc', attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }],
  });
  const x = Float32Array.of(0.2, -0.5, 1, 0.3, 0.9, 0.1, -0.7, 0.4);

  it('rewrites Gemm to MatMul + Add exactly, then quantizes statically with calibrated ranges', async () => {
    const base = int8Base(bytes);
    expect(base.report.rewrites).toEqual(['Gemm "fc" → MatMul + Add (transB applied to the weight)']);
    const fp32 = await run(bytes, { x: new ort.Tensor('float32', x, [2, 4]) }, 'y');
    expect(Array.from(await run(base.bytes, { x: new ort.Tensor('float32', x, [2, 4]) }, 'y'))).toEqual(Array.from(fp32));
    const ranges = { x: [-0.7, 1] as [number, number], 'y/matmul': [-2, 2] as [number, number], y: [-2, 2] as [number, number] };
    const int8 = userInt8(base, ranges);
    expect(int8.report.quantized).toEqual([{ node: 'fc/MatMul', op: 'MatMul', how: 'static' }]);
    const out = await run(int8.bytes, { x: new ort.Tensor('float32', x, [2, 4]) }, 'y');
    out.forEach((v, i) => expect(Math.abs(v - (fp32[i] as number))).toBeLessThan(0.05));
  });

  it('falls back to dynamic INT8 where calibration saw no finite values', async () => {
    const int8 = userInt8(int8Base(bytes), { x: [Infinity, -Infinity] });
    expect(int8.report.quantized).toEqual([{ node: 'y/matmul', op: 'MatMul', how: 'dynamic' }]);
    expect(graphOf(decodeModel(int8.bytes)).node.map((n) => n.opType)).toContain('MatMulInteger');
    const fp32 = await run(bytes, { x: new ort.Tensor('float32', x, [2, 4]) }, 'y');
    const out = await run(int8.bytes, { x: new ort.Tensor('float32', x, [2, 4]) }, 'y');
    out.forEach((v, i) => expect(Math.abs(v - (fp32[i] as number))).toBeLessThan(0.05));
  });
});
