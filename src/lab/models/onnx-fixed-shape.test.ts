import type { onnx as OnnxTypes } from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { fixBatchDimension } from './onnx-fixed-shape';
import { tfjsLayersToOnnx } from './onnx-export';
import { onnx } from './onnx-proto-import';
import { dense, runOnnx, sequential, weight } from './onnx-test-helpers';

const k_model = tfjsLayersToOnnx(sequential(dense('d', 2, 'softmax', { batch_input_shape: [null, 3] })), [
  weight('d/kernel', [3, 2], [1, 0, 0, 1, 1, 1]),
  weight('d/bias', [2], [0, 0]),
]);

/** Each graph input's and output's dims as numbers, or `param:<name>` for symbolic ones. */
function endDims(bytes: Uint8Array): Record<string, (number | string)[]> {
  const graph = onnx.ModelProto.decode(bytes).graph;
  const result: Record<string, (number | string)[]> = {};
  for (const info of [...(graph?.input ?? []), ...(graph?.output ?? [])]) {
    result[info.name ?? '?'] = (info.type?.tensorType?.shape?.dim ?? []).map((d) =>
      Object.prototype.hasOwnProperty.call(d, 'dimValue') ? Number(d.dimValue) : `param:${d.dimParam ?? ''}`,
    );
  }
  return result;
}

describe('fixBatchDimension', () => {
  test('fixes the symbolic first dim of inputs and outputs, and nothing else', () => {
    expect(endDims(k_model)).toEqual({ features: ['param:batch', 3], probabilities: ['param:batch', 2] });
    expect(endDims(fixBatchDimension(k_model, 4))).toEqual({ features: [4, 3], probabilities: [4, 2] });
  });

  test('keeps nodes and weights, and the fixed model runs at that batch only', async () => {
    const fixed = fixBatchDimension(k_model, 2);
    const before = onnx.ModelProto.decode(k_model);
    const after = onnx.ModelProto.decode(fixed);
    expect(after.graph?.node).toEqual(before.graph?.node);
    expect(after.graph?.initializer).toEqual(before.graph?.initializer);
    const rows = [
      [0, 0, 0],
      [1, 0, 0],
    ];
    expect(await runOnnx(fixed, rows)).toEqual(await runOnnx(k_model, rows));
    await expect(runOnnx(fixed, [[0, 0, 0]])).rejects.toThrow(/dimension|shape/i);
  });

  test('fixes same-named dims in value_info, keeps numeric first dims and denotations', () => {
    const model = onnx.ModelProto.decode(k_model);
    const graph = model.graph;
    if (!graph) throw new Error('no graph');
    const info = (name: string, dims: object[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims } } } });
    graph.input = [...(graph.input ?? []), info('fixed_input', [{ dimValue: 7 }, { dimParam: 'batch' }])];
    graph.output = [...(graph.output ?? []), info('unnamed_batch', [{ denotation: 'DATA_BATCH' }, { dimValue: 5 }])];
    graph.valueInfo = [info('d/MatMul', [{ dimParam: 'batch' }, { dimParam: 'other' }])];
    const fixed = onnx.ModelProto.decode(fixBatchDimension(onnx.ModelProto.encode(model).finish(), 3)).graph;
    const dims = (list: OnnxTypes.IValueInfoProto[] | null | undefined, name: string) =>
      list?.find((i) => i.name === name)?.type?.tensorType?.shape?.dim?.map((d) => ({ value: Object.prototype.hasOwnProperty.call(d, 'dimValue') ? Number(d.dimValue) : undefined, param: d.dimParam || undefined, denotation: d.denotation || undefined }));
    // A second dim named "batch" is the same size as the first: fixed too.
    expect(dims(fixed?.input, 'fixed_input')).toEqual([{ value: 7 }, { value: 3 }]);
    expect(dims(fixed?.output, 'unnamed_batch')).toEqual([{ value: 3, denotation: 'DATA_BATCH' }, { value: 5 }]);
    expect(dims(fixed?.valueInfo, 'd/MatMul')).toEqual([{ value: 3 }, { value: undefined, param: 'other' }]);
  });

  test('rejects a batch that is not a positive integer, and bytes that are not a model', () => {
    expect(() => fixBatchDimension(k_model, 0)).toThrow(RangeError);
    expect(() => fixBatchDimension(k_model, 1.5)).toThrow(/positive integer, got 1.5/);
    expect(() => fixBatchDimension(onnx.ModelProto.encode({ irVersion: 8 }).finish(), 1)).toThrow(/no graph/);
  });
});
