/**
 * Builds the bundled cps-wage model end to end:
 *   data/cps1988/cps1988.csv → split + preprocessing → TF.js training →
 *   public/models/cps-wage/{tfjs/fp32, onnx/model.fp32.onnx, eval.json, manifest.json}
 *
 * Run from the repository root: npx tsx scripts/models/build-cps-wage.ts
 * (or `npm run models` for the whole zoo). Then add native golden outputs:
 * see scripts/models/README.md.
 *
 * Rebuilding gives byte-identical files on the same machine; when the ONNX
 * file is unchanged the manifest keeps the golden outputs it already had.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { k_manifest_schema_version, type ManifestWithoutGolden } from '../../src/lab/models/manifest';
import { convertTfjsFiles, k_models_dir, k_onnx_path, k_tfjs_path, seconds, writeManifest, writeRef } from './build-common';
import { encodeRow, featureNames, fitPreprocessing, median, parseCps1988Csv, splitRows } from './cps1988-data';
import { float32Rows, formatJson } from './json-format';
import { loadLayersModelFromDisk, saveLayersModel, tfjsRef } from './tfjs-files';
import { accuracy, describeRecipe, k_train_config, predict, train } from './train-cps-wage';
import { k_cps_wage_spec } from './zoo-specs';

const k_csv = 'data/cps1988/cps1988.csv';
const k_out = join(k_models_dir, k_cps_wage_spec.id);
const k_expected_rows = 28155;
const k_eval_fraction = 0.2;
const k_slice_columns = ['ethnicity', 'region', 'smsa'] as const;
export const k_cps_wage_eval_path = 'eval.json';

/** Data preparation: parse, split, fit preprocessing, encode. Deterministic and fast (no training). */
export async function prepareCpsWageData() {
  const rows = parseCps1988Csv(await readFile(k_csv, 'utf8'));
  if (rows.length !== k_expected_rows) throw new Error(`${k_csv}: expected ${k_expected_rows} rows, got ${rows.length}`);
  const wageMedian = median(rows.map((r) => r.wage));
  const label = (wage: number): number => (wage > wageMedian ? 1 : 0);

  const { train: trainRows, evaluation: evalRows } = splitRows(rows, k_train_config.seed, k_eval_fraction);
  const preprocessing = fitPreprocessing(trainRows);
  const names = featureNames(preprocessing);
  const trainX = trainRows.map((r) => encodeRow(r, preprocessing));
  const trainY = trainRows.map((r) => label(r.wage));
  // Rounded once here: eval.json, the golden inputs and the accuracy all use these exact float32 values.
  const evalX = float32Rows(evalRows.map((r) => encodeRow(r, preprocessing)));
  const evalY = evalRows.map((r) => label(r.wage));
  const evaluation = {
    features: evalX,
    labels: evalY,
    slices: Object.fromEntries(k_slice_columns.map((c) => [c, evalRows.map((r) => r[c])])),
  };
  const evalJson = `${formatJson(evaluation)}\n`;
  return { rows, wageMedian, trainRows, evalRows, preprocessing, names, trainX, trainY, evalX, evalY, evalJson };
}

export async function buildCpsWage(): Promise<void> {
  const started = performance.now();
  await tf.setBackend('cpu');
  const { rows, wageMedian, trainRows, evalRows, preprocessing, names, trainX, trainY, evalX, evalY, evalJson } = await prepareCpsWageData();
  console.log(`data: ${rows.length} rows, median wage ${wageMedian}, ${trainRows.length} train / ${evalRows.length} eval, ` +
    `positive share ${(trainY.filter((y) => y === 1).length / trainY.length).toFixed(3)} (train)`);

  const trainStart = performance.now();
  const { model, finalLoss } = await train(trainX, trainY, k_train_config);
  const trainMs = performance.now() - trainStart;
  console.log(`trained ${k_train_config.epochs} epochs in ${seconds(trainMs)}, final loss ${finalLoss.toFixed(4)}`);

  const tfjsDir = join(k_out, 'tfjs/fp32');
  const tfjsBytes = await saveLayersModel(model, tfjsDir);
  // Measure what ships: accuracy from the files just written, not the in-memory model.
  const shipped = await loadLayersModelFromDisk(join(tfjsDir, 'model.json'));
  const evalP = predict(shipped, evalX);
  const fp32Accuracy = accuracy(evalP, evalY);
  console.log(`eval accuracy (fp32, TF.js cpu): ${fp32Accuracy.toFixed(4)}`);
  for (const column of k_slice_columns) {
    const levels = [...new Set(evalRows.map((r) => r[column]))].sort();
    const parts = levels.map((level) => {
      const idx = evalRows.flatMap((r, i) => (r[column] === level ? [i] : []));
      const acc = accuracy(idx.map((i) => evalP[i] ?? []), idx.map((i) => evalY[i] ?? -1));
      return `${level} ${acc.toFixed(3)} (n=${idx.length})`;
    });
    console.log(`  by ${column}: ${parts.join(', ')}`);
  }

  const onnxBytes = await convertTfjsFiles(join(k_out, k_tfjs_path), k_cps_wage_spec.exportOptions);
  const onnxRef = await writeRef(k_out, k_onnx_path, onnxBytes);
  await writeFile(join(k_out, k_cps_wage_eval_path), evalJson);

  const manifest: ManifestWithoutGolden = {
    schemaVersion: k_manifest_schema_version,
    id: 'cps-wage',
    name: 'CPS 1988 wage above median (MLP)',
    task: 'tabular-classification',
    description:
      `Predicts whether a US man's weekly wage (March 1988 survey, in 1992 dollars) was above the sample median of ${wageMedian} dollars ` +
      'from years of education, years of experience, ethnicity, whether they lived in a metropolitan area, region and part-time work. ' +
      'A small multilayer perceptron trained in TensorFlow.js; the same weights ship as ONNX. ' +
      'Ethnicity, region and metropolitan area are kept as slices to compare accuracy between groups.',
    source: {
      data: 'AER::CPS1988: US Census Bureau Current Population Survey, March 1988 (men aged 18–70 with annual income over 50 dollars, ' +
        'not self-employed nor working without pay; wages per week deflated to 1992 dollars; Bierens & Ginther 2001), ' +
        'as distributed in the R package AER 1.2-10 (Kleiber & Zeileis, Applied Econometrics with R), Debian package r-cran-aer',
      license: 'CPS microdata: US government work (public domain); AER package: GPL-2 | GPL-3',
      url: 'https://CRAN.R-project.org/package=AER',
    },
    license: 'MIT (model weights trained by this project)',
    inputs: [{ name: 'features', shape: [null, names.length], dtype: 'float32' }],
    outputs: [{ name: 'probabilities', shape: [null, 2], dtype: 'float32' }],
    labels: [`wage <= ${wageMedian}`, `wage > ${wageMedian}`],
    featureNames: names,
    preprocessing,
    training: {
      recipe: describeRecipe(k_train_config, names.length),
      seed: k_train_config.seed,
      epochs: k_train_config.epochs,
      batchSize: k_train_config.batchSize,
      trainRows: trainRows.length,
      evalRows: evalRows.length,
      accuracy: { fp32: Number(fp32Accuracy.toFixed(4)) },
    },
    artifacts: {
      fp32: {
        onnx: onnxRef,
        tfjs: await tfjsRef(k_out, k_tfjs_path),
      },
    },
    evaluation: { format: 'json', path: k_cps_wage_eval_path, rows: evalRows.length, sliceColumns: [...k_slice_columns] },
    quality: {
      metric: 'accuracy',
      description: `Share of the ${evalRows.length} evaluation rows whose arg-max class is the label (fp32: TF.js cpu; other precisions: their ONNX file on onnxruntime-node)`,
      values: { fp32: Number(fp32Accuracy.toFixed(4)) },
      baseline: { name: 'majority class', value: Number(Math.max(...[0, 1].map((c) => evalY.filter((y) => y === c).length / evalY.length)).toFixed(4)) },
    },
  };
  // Golden outputs stay valid only for the exact same ONNX bytes and inputs.
  const kept = await writeManifest(k_out, manifest, (n) => evalX.slice(0, n).map((row) => Float32Array.from(row)));
  console.log(`wrote ${k_out}: onnx ${onnxBytes.byteLength} B, tfjs ${tfjsBytes} B, ` +
    `golden outputs ${kept ? 'kept (ONNX unchanged)' : 'MISSING: run the tools/reference step'}; total ${seconds(performance.now() - started)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildCpsWage();
