/**
 * The .tflite variants of every zoo model, written by the lab's exporter
 * (src/lab/tflite/onnx-to-tflite.ts) from the committed ONNX files:
 *
 *   tflite/model.fp32.tflite   from onnx/model.fp32.onnx
 *   tflite/model.fp16.tflite   from onnx/model.fp16.onnx (float16 weights + DEQUANTIZE)
 *   tflite/model.int4.tflite   from onnx/model.int4.onnx (the damaged fixture, FP32)
 *   tflite/model.int8.tflite   from onnx/model.fp32.onnx, full-integer, with the
 *                              committed calibration ranges (int8-calibration.ts)
 *
 * and each variant's reference for cells that read .tflite
 * (`artifacts.<p>.reference.tflite`):
 *
 * - int8: Arm NN's TFLite parser and CpuRef backend run the .tflite file
 *   itself (tools/reference/armnn-tflite.py; Debian python3-pyarmnn): a
 *   native TFLite reader independent of LiteRT.js;
 * - fp16, int4: the ONNX twin's native reference (the same weights to the bit,
 *   FP32 compute); fp16c (LiteRT WebGPU with FP16 compute reads the fp16 file):
 *   the TF.js twin's FP16-intermediates reference.
 *
 * FP32 cells are checked against the golden outputs (native onnxruntime on
 * the FP32 ONNX file); `npm run test:native` also runs each FP32 .tflite
 * through Arm NN and checks it against them.
 *
 *   npx tsx scripts/models/build-tflite.ts [model-id ...]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeFloat32LE, encodeFloat32LE, loadGolden } from '../../src/lab/models/golden';
import { type ModelManifest, parseManifest, type VariantReference } from '../../src/lab/models/manifest';
import { roundUp2 } from '../../src/lab/models/variant-reference';
import { onnxToTflite, tfliteCalibrationTensors } from '../../src/lab/tflite/onnx-to-tflite';
import { readTflite } from '../../src/lab/tflite/tflite-read';
import { k_models_dir, k_onnx_path, sha256, writeRef } from './build-common';
import { variantOnnxPath } from './build-variants';
import { calibrateTfliteExtras, readCalibration, writeCalibration } from './int8-calibration';
import { float32Rows, formatJson } from './json-format';
import { k_zoo_specs } from './zoo-specs';

export const k_tflite_precisions = Object.freeze(['fp32', 'fp16', 'int8', 'int4'] as const);
export type TflitePrecision = (typeof k_tflite_precisions)[number];
export const tflitePath = (p: TflitePrecision): string => `tflite/model.${p}.tflite`;
/** The ONNX file each variant is exported from (INT8 quantizes the FP32 graph itself). */
const sourceOf = (p: TflitePrecision): string => (p === 'fp32' || p === 'int8' ? k_onnx_path : variantOnnxPath(p));

/**
 * INT8 cells are gated at this many output quantization steps from Arm NN's
 * outputs. Arm NN's CpuRef computes each integer operator as dequantize →
 * float32 → requantize; XNNPACK with fixed-point requantization; where a value
 * sits at a rounding boundary the two land one code apart, and the step
 * carries through the following layers. The bound is stated in steps of the
 * output's own scale so it does not depend on the model's units.
 */
export const k_int8_output_steps = 4;

async function readManifest(dir: string): Promise<ModelManifest> {
  return parseManifest(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
}

/** Every variant's .tflite bytes, derived from the committed ONNX files and calibration (what `--check` compares). */
export async function deriveTfliteFiles(id: string): Promise<Map<string, Uint8Array>> {
  const dir = join(k_models_dir, id);
  const calibration = await readCalibration(id);
  const files = new Map<string, Uint8Array>();
  for (const p of k_tflite_precisions) {
    const onnx = new Uint8Array(await readFile(join(dir, sourceOf(p))));
    if (p === 'int8' && calibration === undefined) throw new Error(`${id}: no INT8 calibration`);
    const description = `Inference Lab zoo model ${id}, ${p} variant, exported from ${sourceOf(p)} (sha256 ${sha256(onnx).slice(0, 16)}) by src/lab/tflite`;
    const out = onnxToTflite(onnx, { description, ...(p === 'int8' && calibration ? { int8: { ranges: calibration.ranges } } : {}) });
    files.set(tflitePath(p), out.bytes);
  }
  return files;
}

/** Arm NN's outputs for a .tflite file on the golden inputs. */
function armnnOutputs(model: Uint8Array, inputs: Float32Array, rows: number): Float32Array {
  const dir = mkdtempSync(join(tmpdir(), 'armnn-'));
  try {
    writeFileSync(join(dir, 'model.tflite'), model);
    writeFileSync(join(dir, 'inputs.f32'), encodeFloat32LE(inputs));
    execFileSync('/usr/bin/python3', ['tools/reference/armnn-tflite.py', join(dir, 'model.tflite'), join(dir, 'inputs.f32'), String(rows), join(dir, 'outputs.f32')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const bytes = readFileSync(join(dir, 'outputs.f32'));
    return decodeFloat32LE(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The version of Arm NN's Python package, for `computedBy`. */
function armnnVersion(): string {
  return execFileSync('/usr/bin/python3', ['-c', 'import pyarmnn; print(pyarmnn.ARMNN_VERSION)'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
}

/** The output tensor's int8 scale in an exported model (the DEQUANTIZE before the output reads it). */
function outputScale(id: string, int8: Uint8Array): number {
  const model = readTflite(int8);
  const graph = model.subgraphs[0];
  const dequantize = graph?.operators.at(-1);
  const scale = graph?.tensors[dequantize?.inputs[0] ?? -1]?.quantization?.scale[0];
  if (scale === undefined) throw new Error(`${id}: the INT8 model's last operator reads no quantized tensor`);
  return scale;
}

function twin(ref: VariantReference | undefined, what: string, graph: string): VariantReference {
  if (ref === undefined) throw new Error(`no ${what} reference to take (run tools/reference/precision-reference.ts first)`);
  return { ...ref, graph: `${graph}; outputs of ${what}, whose graph computes the same numbers (the ONNX/TF.js twin: no native TFLite runtime here computes this variant)` };
}

/** Writes the .tflite files, adds them and their references to the manifest. */
export async function buildTflite(id: string): Promise<void> {
  const started = performance.now();
  const dir = join(k_models_dir, id);
  const manifest = await readManifest(dir);
  const inputName = manifest.inputs[0]?.name ?? '';
  const fp32Onnx = new Uint8Array(await readFile(join(dir, sourceOf('fp32'))));
  const calibration = await readCalibration(id);
  if (calibration === undefined) throw new Error(`${id}: no INT8 calibration; run scripts/models/build-variants.ts first`);
  const extended = await calibrateTfliteExtras(calibration, fp32Onnx, inputName, tfliteCalibrationTensors(fp32Onnx));
  if (typeof extended === 'string') throw new Error(`${id}: cannot calibrate the .tflite INT8 export: ${extended}`);
  if (extended !== calibration) {
    await writeCalibration(extended);
    console.log(`${id}: calibrated ${Object.keys(extended.ranges).length - Object.keys(calibration.ranges).length} more tensors for the .tflite INT8 export`);
  }
  const files = await deriveTfliteFiles(id);
  const golden = await loadGolden(manifest, async (p) => {
    const b = await readFile(join(dir, p));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  });
  const inputs = new Float32Array(golden.inputs.reduce((n, r) => n + r.length, 0));
  golden.inputs.reduce((offset, row) => (inputs.set(row, offset), offset + row.length), 0);
  const width = golden.outputs[0]?.length ?? 0;
  const artifacts = { ...manifest.artifacts };
  const computedBy = `Arm NN ${armnnVersion()} TFLite parser, CpuRef backend (Debian python3-pyarmnn)`;
  for (const p of k_tflite_precisions) {
    const bytes = files.get(tflitePath(p));
    const set = artifacts[p];
    if (!bytes || !set) throw new Error(`${id}: no ${p} variant`);
    const tflite = await writeRef(dir, tflitePath(p), bytes);
    const reference: NonNullable<typeof set.reference> = { ...set.reference };
    const graph = `${tflitePath(p)}, exported from ${sourceOf(p)}`;
    if (p === 'fp16') reference.tflite = twin(set.reference?.onnx, 'onnx/model.fp16.onnx on native onnxruntime', graph);
    if (p === 'int4') reference.tflite = twin(set.reference?.onnx, 'onnx/model.int4.onnx on native onnxruntime', graph);
    if (p === 'int8') {
      const native = armnnOutputs(bytes, inputs, golden.rows);
      const step = outputScale(id, bytes);
      const tolerance = Math.max(golden.tolerance, roundUp2(k_int8_output_steps * step));
      const rows = Array.from({ length: golden.rows }, (_, r) => Array.from(native.subarray(r * width, (r + 1) * width)));
      const inline = manifest.golden.file === undefined;
      const outputs = inline ? { outputs: float32Rows(rows) } : { file: await writeRef(dir, `golden/tflite-int8-outputs.f32`, encodeFloat32LE(native)) };
      reference.tflite = {
        computedBy,
        graph: `${graph} (full-integer: int8 activations and weights, int32 biases), run as written`,
        tolerance,
        toleranceNote: `Tolerance ${tolerance}: ${k_int8_output_steps} steps of the output's int8 scale (${step.toPrecision(3)}). Arm NN's reference kernels compute each integer operator as dequantize → FP32 → requantize, XNNPACK with fixed-point requantization; where a value sits at a rounding boundary they land one code apart, and such a step carries to the output. FP32's tolerance where that is larger.`,
        basis: { description: `${k_int8_output_steps} × the output's int8 quantization step`, maxAbsDiff: Number(step.toPrecision(3)), margin: k_int8_output_steps },
        ...outputs,
      };
    }
    artifacts[p] = { ...set, tflite, reference };
    console.log(`${id} ${p}: ${tflite.bytes} B`);
  }
  const fp16c = artifacts.fp16c;
  if (fp16c) artifacts.fp16c = { ...fp16c, reference: { ...fp16c.reference, tflite: twin(fp16c.reference?.tfjs, "the TF.js twin's FP16-intermediates reference (onnx/model.fp16.onnx with every node's output rounded to FP16)", `${tflitePath('fp16')} compiled for FP16 compute`) } };
  const parsed = parseManifest({ ...manifest, artifacts });
  await writeFile(join(dir, 'manifest.json'), `${formatJson(parsed)}\n`);
  console.log(`${id}: .tflite variants in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ids = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const id of ids.length > 0 ? ids : k_zoo_specs.map((s) => s.id)) await buildTflite(id);
}
