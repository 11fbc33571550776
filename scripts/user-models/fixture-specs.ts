/**
 * The bring-your-own-model fixtures: what each file is, which data it reads
 * and which native golden outputs it has. The build (build-fixtures.ts), its
 * `--check`, the native goldens (tools/reference/user-fixture-goldens.ts) and
 * the tests read this list.
 */
import { k_cps_features, k_cps_label, k_cps_slices } from './cps-table';

export const k_fixtures_dir = 'fixtures/user-models';
export const k_cps_rows_file = 'cps-rows.csv';
export const k_images_dir = 'fashion-images';
/** Golden rows of the tabular fixtures: the first rows of cps-rows.csv. */
export const k_tabular_golden_rows = 64;
/** Golden images: the first this many of each class folder, in ImageFolder order. */
export const k_golden_images_per_class = 2;

export type FixtureInputs = { kind: 'csv'; file: string; features: readonly string[]; label: string; slices: readonly string[] } | { kind: 'images'; folder: string; layout: 'NCHW' | 'NHWC' };

export interface FixtureSpec {
  name: string;
  format: 'onnx' | 'tfjs';
  /** The files a user picks, relative to the fixtures folder (model.json first for TF.js). */
  files: readonly string[];
  description: string;
  inputs: FixtureInputs;
  /** The output a classifier's probabilities or logits come from. */
  output: string;
  /** For a TF.js model, the ONNX file with the same weights that native onnxruntime runs for its goldens. */
  nativeTwin?: string;
}

const cpsCsv: FixtureInputs = { kind: 'csv', file: k_cps_rows_file, features: k_cps_features, label: k_cps_label, slices: k_cps_slices };

export const k_fixtures: readonly FixtureSpec[] = Object.freeze([
  { name: 'cps-gbt', format: 'onnx', files: ['cps-gbt.onnx'], description: 'scikit-learn GradientBoostingClassifier as ai.onnx.ml TreeEnsembleClassifier', inputs: cpsCsv, output: 'output_probability' },
  { name: 'cps-gbt-zipmap', format: 'onnx', files: ['cps-gbt-zipmap.onnx'], description: 'the same trees, probabilities through ZipMap', inputs: cpsCsv, output: 'output_probability' },
  { name: 'cps-logreg', format: 'onnx', files: ['cps-logreg.onnx'], description: 'scikit-learn LogisticRegression as ai.onnx.ml LinearClassifier', inputs: cpsCsv, output: 'output_probability' },
  { name: 'cps-logreg-zipmap', format: 'onnx', files: ['cps-logreg-zipmap.onnx'], description: 'the same regression, probabilities through ZipMap', inputs: cpsCsv, output: 'output_probability' },
  {
    name: 'fashion-cnn-nchw',
    format: 'onnx',
    files: ['fashion-cnn-nchw.onnx'],
    description: 'a CNN in the layout a PyTorch export has (NCHW, symbolic batch, opset 17, Conv/Relu/MaxPool/Flatten/Gemm, logits)',
    inputs: { kind: 'images', folder: k_images_dir, layout: 'NCHW' },
    output: 'logits',
  },
  {
    name: 'fashion-cnn-graph',
    format: 'tfjs',
    files: ['fashion-cnn-graph/model.json', 'fashion-cnn-graph/group1-shard1of1.bin'],
    description: 'the same CNN as a TF.js graph model (NHWC)',
    inputs: { kind: 'images', folder: k_images_dir, layout: 'NHWC' },
    output: 'logits',
    nativeTwin: 'fashion-cnn-nchw.onnx',
  },
]);

export const goldenPath = (name: string): string => `golden/${name}.json`;
