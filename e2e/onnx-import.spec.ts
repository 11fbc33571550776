import { writeFileSync, mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { checkOutputs, listCases, loadCase } from '../scripts/onnx-conformance/suite';
import type * as Harness from './harness/onnx-import-harness';
import type { HarnessTensor } from './harness/onnx-import-harness';
import { DEV_PORT } from './ports';

/**
 * The zoo's own ONNX files on the four TF.js backends are rows of the support
 * matrix (support-matrix.spec.ts, `tfjs-…@onnx`). Here: a sample of ONNX's
 * own node tests on the browser backends (the whole suite runs on tfjs-cpu in
 * Node, scripts/onnx-conformance): one or two per operator family, NCHW traps
 * included, through the dev server, which compiles the harness module like
 * any source file.
 */
const k_harness = '/e2e/harness/onnx-import-harness.ts';
const SAMPLE = [
  'test_conv_with_strides_and_asymmetric_padding', 'test_conv_with_autopad_same', 'test_basic_conv_with_padding', 'test_conv_with_strides_no_padding',
  'test_convtranspose', 'test_convtranspose_pads', 'test_convtranspose_output_shape', 'test_convtranspose_1d',
  'test_maxpool_2d_ceil', 'test_maxpool_2d_same_upper', 'test_maxpool_2d_pads', 'test_maxpool_2d_dilations',
  'test_averagepool_2d_pads_count_include_pad', 'test_averagepool_2d_same_lower', 'test_averagepool_2d_default', 'test_batchnorm_example',
  'test_maxpool_1d_default', 'test_layer_normalization_4d_axis1', 'test_gemm_default_matrix_bias', 'test_matmul_4d',
  'test_softmax_axis_1', 'test_logsoftmax_axis_0', 'test_resize_upsample_scales_linear_align_corners', 'test_resize_downsample_scales_nearest',
  'test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric', 'test_resize_upsample_scales_linear', 'test_reduce_mean_keepdims_example', 'test_reduce_sum_keepdims_random',
  'test_transpose_all_permutations_4', 'test_slice_neg_steps', 'test_gather_negative_indices', 'test_edge_pad', 'test_reflect_pad',
  'test_cast_FLOAT_to_FLOAT16', 'test_dequantizelinear', 'test_quantizelinear', 'test_where_example', 'test_expand_dim_changed',
  'test_tile', 'test_range_float_type_positive_delta', 'test_erf', 'test_hardswish', 'test_leakyrelu', 'test_clip',
  'test_concat_3d_axis_1', 'test_split_equal_parts_1d', 'test_reshape_negative_dim', 'test_unsqueeze_axis_0', 'test_squeeze', 'test_flatten_axis0',
  // Each of these failed on one browser backend once (kept dimensions on WebGPU's prod), or is newer in the importer.
  'test_reduce_prod_keepdims_example', 'test_resize_upsample_scales_cubic', 'test_argmax_keepdims_example_select_last_index', 'test_elu',
];

test('a sample of ONNX node tests passes on TF.js wasm, WebGL and WebGPU through the importer', async ({ page }) => {
  test.setTimeout(300_000);
  const cases = SAMPLE.filter((name) => listCases().includes(name));
  expect(cases.length, 'sample cases present in libonnx-testdata').toBeGreaterThanOrEqual(45);
  await page.goto(`http://127.0.0.1:${DEV_PORT}/`);
  const table: Record<string, Record<string, { state: string; maxError?: number; why?: string }>> = {};
  const failures: string[] = [];
  for (const backend of ['wasm', 'webgl', 'webgpu'] as const) {
    const started = await page.evaluate(
      async ({ b, url }) => {
        const h = (await import(/* @vite-ignore */ url)) as typeof Harness;
        return h.startBackend(b);
      },
      { b: backend, url: k_harness },
    );
    if (started !== backend) {
      console.log(`${backend}: ${started}`);
      for (const name of cases) (table[name] ??= {})[backend] = { state: 'unavailable', why: started };
      await page.reload();
      continue;
    }
    for (const name of cases) {
      const data = loadCase(name);
      let state = 'pass';
      let maxError = 0;
      let why: string | undefined;
      for (const set of data.sets()) {
        const inputs: HarnessTensor[] = set.inputs.map((t) => ({ data: [...(t.wide ?? t.data)], dims: t.dims, dtype: t.dtype }));
        const outs = await page.evaluate(
          async ({ model, inputs, url }) => {
            const h = (await import(/* @vite-ignore */ url)) as typeof Harness;
            try {
              return await h.runModel(model, inputs);
            } catch (error) {
              return String(error);
            }
          },
          { model: [...data.bytes], inputs, url: k_harness },
        );
        if (typeof outs === 'string') {
          state = 'error';
          why = outs;
          break;
        }
        const check = checkOutputs(outs, set.expected);
        maxError = Math.max(maxError, check.maxError);
        if (check.why) {
          state = 'fail';
          why = check.why;
          break;
        }
      }
      (table[name] ??= {})[backend] = { state, maxError, ...(why ? { why } : {}) };
      if (state !== 'pass') failures.push(`${backend} ${name}: ${why ?? state}`);
    }
    await page.reload();
  }
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/onnx-conformance-browser.json', `${JSON.stringify(table, null, 1)}\n`);
  console.log(failures.join('\n'));
  expect(failures).toEqual([]);
});
