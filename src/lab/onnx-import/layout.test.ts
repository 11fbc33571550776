/**
 * The channels-last layout the importer keeps between convolutions must be
 * invisible: every operator that reads channels or positions after a Conv
 * (Flatten, Reshape, Transpose, Concat and Softmax on the channel axis, Pad
 * in NCHW order, Slice and Gather on channels, ReduceMean over H and W,
 * Squeeze) must see ONNX's NCHW. Each small graph runs through the importer
 * on TF.js cpu and through onnxruntime (wasm, in Node), on the same seeded
 * weights and input.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { beforeAll, describe, expect, test } from 'vitest';
import { onnx } from '../models/onnx-proto-import';
import { createRng } from '../util/random';
import { OnnxGraphRunner } from './graph-runner';
import { importOnnxGraph } from './graph-import';

const A = onnx.AttributeProto.AttributeType;
const DT = onnx.TensorProto.DataType;
const ints = (name: string, v: number[]): OnnxTypes.IAttributeProto => ({ name, type: A.INTS, ints: v });
const int = (name: string, v: number): OnnxTypes.IAttributeProto => ({ name, type: A.INT, i: v });

interface Step {
  op: string;
  inputs?: string[];
  attrs?: OnnxTypes.IAttributeProto[];
}

/** Input [2, 3, 6, 6] → Conv(4 filters, 3×3, pad 1) → Relu → the steps under test, each feeding the next. */
function graph(steps: Step[], extra: OnnxTypes.ITensorProto[] = []): Uint8Array {
  const rand = createRng(17);
  const weights = Float32Array.from({ length: 4 * 3 * 3 * 3 }, () => rand() - 0.5);
  const nodes: OnnxTypes.INodeProto[] = [
    { opType: 'Conv', input: ['x', 'w'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1]), ints('kernel_shape', [3, 3])] },
    { opType: 'Relu', input: ['c'], output: ['v0'] },
  ];
  steps.forEach((s, i) => nodes.push({ opType: s.op, input: [`v${i}`, ...(s.inputs ?? [])], output: [`v${i + 1}`], attribute: s.attrs ?? [] }));
  nodes.push({ opType: 'Identity', input: [`v${steps.length}`], output: ['y'] });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'layout',
      node: nodes,
      initializer: [{ name: 'w', dims: [4, 3, 3, 3], dataType: DT.FLOAT, floatData: [...weights] }, ...extra],
      input: [{ name: 'x', type: { tensorType: { elemType: DT.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }, { dimValue: 6 }, { dimValue: 6 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: DT.FLOAT } } }],
    },
  }).finish();
}

const int64 = (name: string, values: number[]): OnnxTypes.ITensorProto => ({ name, dims: [values.length], dataType: DT.INT64, int64Data: values });

const CASES: Record<string, { steps: Step[]; extra?: OnnxTypes.ITensorProto[] }> = {
  'Flatten (NCHW order)': { steps: [{ op: 'Flatten', attrs: [int('axis', 1)] }] },
  'Reshape to [N, -1]': { steps: [{ op: 'Reshape', inputs: ['shape'] }], extra: [int64('shape', [2, -1])] },
  'Transpose to NHWC then Flatten': { steps: [{ op: 'Transpose', attrs: [ints('perm', [0, 2, 3, 1])] }, { op: 'Flatten', attrs: [int('axis', 1)] }] },
  'Concat on channels with itself through MaxPool': { steps: [{ op: 'MaxPool', attrs: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] }, { op: 'Concat', inputs: ['v1'], attrs: [int('axis', 1)] }] },
  'Softmax over channels': { steps: [{ op: 'Softmax', attrs: [int('axis', 1)] }] },
  'Pad in NCHW order': { steps: [{ op: 'Pad', inputs: ['pads'] }], extra: [int64('pads', [0, 1, 2, 0, 0, 0, 1, 3])] },
  'Slice of channels 1..3': { steps: [{ op: 'Slice', inputs: ['starts', 'ends', 'axes'] }], extra: [int64('starts', [1]), int64('ends', [3]), int64('axes', [1])] },
  'Gather of channel 2': { steps: [{ op: 'Gather', inputs: ['index'], attrs: [int('axis', 1)] }], extra: [{ name: 'index', dims: [], dataType: DT.INT64, int64Data: [2] }] },
  'ReduceMean over H and W, kept': { steps: [{ op: 'ReduceMean', attrs: [ints('axes', [2, 3]), int('keepdims', 1)] }] },
  'Global pool then Squeeze': { steps: [{ op: 'GlobalAveragePool' }, { op: 'Squeeze', inputs: ['sq'] }], extra: [int64('sq', [2, 3])] },
  'Resize ×2 then Add a per-channel bias': {
    steps: [{ op: 'Resize', inputs: ['', 'scales'], attrs: [{ name: 'mode', type: A.STRING, s: new TextEncoder().encode('nearest') }] }, { op: 'Add', inputs: ['bias'] }],
    extra: [
      { name: 'scales', dims: [4], dataType: DT.FLOAT, floatData: [1, 1, 2, 2] },
      { name: 'bias', dims: [4, 1, 1], dataType: DT.FLOAT, floatData: [0.1, -0.2, 0.3, -0.4] },
    ],
  },
};

beforeAll(async () => {
  ort.env.wasm.numThreads = 1;
  await tf.setBackend('cpu');
});

describe('layout: channels-last inside, NCHW wherever an operator looks', () => {
  const rand = createRng(5);
  const x = Float32Array.from({ length: 2 * 3 * 6 * 6 }, () => rand() * 2 - 1);
  test.each(Object.entries(CASES))('%s', async (_name, { steps, extra }) => {
    const bytes = graph(steps, extra);
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const expected = (await session.run({ x: new ort.Tensor('float32', x, [2, 3, 6, 6]) })).y!;
    await session.release();
    const runner = new OnnxGraphRunner(tf, importOnnxGraph(bytes));
    const feed = tf.tensor(x, [2, 3, 6, 6]);
    const [y] = await runner.run({ x: feed });
    expect(y!.shape).toEqual([...expected.dims]);
    const got = await y!.data();
    const want = expected.data as Float32Array;
    let max = 0;
    for (let i = 0; i < want.length; i += 1) max = Math.max(max, Math.abs((got[i] ?? Number.NaN) - (want[i] ?? 0)));
    expect(max).toBeLessThan(1e-5);
    y!.dispose();
    feed.dispose();
    runner.dispose();
  });
});
