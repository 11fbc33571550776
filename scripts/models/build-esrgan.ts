/**
 * Builds the ESRGAN super-resolution model (pretrained, from npm):
 *   npm pack @upscalerjs/esrgan-slim@1.0.0 (cache) → x2 TF.js model with a fixed
 *   32×32 input → ONNX; four real photographs → 32×32 inputs + 64×64 references →
 *   public/models/esrgan-slim-x2/{tfjs/fp32, onnx/model.fp32.onnx, eval/*.u8, manifest.json}
 *
 * The package cannot be a dependency (its peerDependency pins @tensorflow/tfjs
 * ~4.11), so the build fetches it with `npm pack` into node_modules/.cache/inference-lab-models/.
 *
 * Run from the repository root: npx tsx scripts/models/build-esrgan.ts
 * (or `npm run models`). Golden outputs: tools/reference (see README.md).
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { imagesToInput, outputToPixels, psnr } from '../../src/lab/models/image-data';
import { type ImagePostprocessing, type ImagePreprocessing, k_manifest_schema_version, type ManifestWithoutGolden } from '../../src/lab/models/manifest';
import { convertTfjsFiles, k_models_dir, k_onnx_path, k_tfjs_path, seconds, sha256, writeManifest, writeRef } from './build-common';
import { type EsrganEvalImage, loadEsrganImages } from './esrgan-images';
import { npmPackage } from './package-cache';
import type { RgbImage } from './png';
import { k_weights_file, loadLayersModelFromDisk, readLayersModelFiles, tfjsRef, type TfjsModelJson } from './tfjs-files';
import { k_esrgan_spec } from './zoo-specs';

export const k_esrgan_package = { name: '@upscalerjs/esrgan-slim', version: '1.0.0' } as const;
export const k_esrgan_scale = 2;
export const k_esrgan_input_size = 32;
/** sha256 of the package's models/x2/group1-shard1of1.bin: the shipped weights are these bytes. */
const k_upstream_weights_sha256 = '5cb464ae4d390ce0a771afd5feaf60fbfcdb18ab48a56db98cdf6b88202369de';
const k_out = join(k_models_dir, k_esrgan_spec.id);
export const k_esrgan_images_path = 'eval/images.u8';
export const k_esrgan_targets_path = 'eval/targets.u8';

const k_output_size = k_esrgan_input_size * k_esrgan_scale;
const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

export const k_esrgan_preprocessing: ImagePreprocessing = {
  kind: 'image',
  layout: 'NHWC',
  height: k_esrgan_input_size,
  width: k_esrgan_input_size,
  channels: 3,
  colorSpace: 'RGB',
  scale: 1,
  offset: 0,
  note: 'RGB pixel values 0–255 as float32, unnormalized (UpscalerJS inputRange [0, 255])',
};

const k_esrgan_postprocessing: ImagePostprocessing = {
  kind: 'image',
  layout: 'NHWC',
  height: k_output_size,
  width: k_output_size,
  channels: 3,
  scale: 1,
  offset: 0,
  note: 'RGB in pixel units (0–255; the raw output overshoots slightly, so clamp and round for display)',
};

/** The upstream model.json with the input fixed to [null, 32, 32, 3]; everything else untouched. */
export function fixInputShape(json: TfjsModelJson, size: number): TfjsModelJson {
  const fixed = structuredClone(json) as TfjsModelJson & { modelTopology: { model_config?: { config?: { layers?: { class_name: string; config: Record<string, unknown> }[] } } } };
  const inputs = fixed.modelTopology.model_config?.config?.layers?.filter((l) => l.class_name === 'InputLayer') ?? [];
  const [input] = inputs;
  if (input === undefined || inputs.length !== 1) throw new Error(`expected one InputLayer in the ESRGAN topology, found ${inputs.length}`);
  const shape = input.config['batch_input_shape'];
  if (JSON.stringify(shape) !== JSON.stringify([null, null, null, 3])) throw new Error(`unexpected ESRGAN input shape ${JSON.stringify(shape)}`);
  input.config['batch_input_shape'] = [null, size, size, 3];
  return fixed;
}

/** model.json of the upstream x2 model with the input fixed, as text, after checking the upstream weights. */
export async function fixedShapeModelJson(packageDir: string): Promise<string> {
  const upstream = join(packageDir, `models/x${k_esrgan_scale}`);
  const json = JSON.parse(await readFile(join(upstream, 'model.json'), 'utf8')) as TfjsModelJson;
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  if (paths.join() !== k_weights_file) throw new Error(`ESRGAN weights are in ${paths.join(', ')}, expected one ${k_weights_file}`);
  const weightsDigest = sha256(new Uint8Array(await readFile(join(upstream, k_weights_file))));
  if (weightsDigest !== k_upstream_weights_sha256) throw new Error(`ESRGAN weights sha256 ${weightsDigest}, expected ${k_upstream_weights_sha256}`);
  return `${JSON.stringify(fixInputShape(json, k_esrgan_input_size), null, 2)}\n`;
}

/** Writes the fixed-shape TF.js model (model.json rewritten, weights copied byte for byte); returns its bytes. */
export async function writeFixedShapeModel(packageDir: string, outDir: string): Promise<number> {
  const text = await fixedShapeModelJson(packageDir);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'model.json'), text);
  await copyFile(join(packageDir, `models/x${k_esrgan_scale}`, k_weights_file), join(outDir, k_weights_file));
  return (await readLayersModelFiles(join(outDir, 'model.json'))).bytes;
}

/** The evaluation files' bytes: inputs (rows × 32 × 32 × 3) and targets (rows × 64 × 64 × 3). */
export function esrganEvalBytes(images: readonly EsrganEvalImage[]): { inputs: Uint8Array; targets: Uint8Array } {
  return { inputs: concat(images.map((i) => i.input.pixels)), targets: concat(images.map((i) => i.target.pixels)) };
}

/** Bilinear upscaling with half-pixel centres (what an image viewer does): the baseline ESRGAN should beat. */
function upscaleBilinear(image: RgbImage, scale: number): Uint8Array {
  const [w, h] = [image.width * scale, image.height * scale];
  const out = new Uint8Array(w * h * 3);
  const at = (x: number, y: number, c: number): number => image.pixels[(Math.min(image.height - 1, Math.max(0, y)) * image.width + Math.min(image.width - 1, Math.max(0, x))) * 3 + c] as number;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [sx, sy] = [(x + 0.5) / scale - 0.5, (y + 0.5) / scale - 0.5];
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      const [fx, fy] = [sx - x0, sy - y0];
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx;
        const bottom = at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx;
        out[(y * w + x) * 3 + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  return out;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean PSNR (dB) of ESRGAN (TF.js cpu, fp32) and of bilinear upscaling against the 64×64 references. */
async function measureQuality(images: EsrganEvalImage[], inputs: Float32Array): Promise<{ esrgan: number[]; bilinear: number[] }> {
  const model = await loadLayersModelFromDisk(join(k_out, k_tfjs_path));
  const output = tf.tidy(() => (model.predict(tf.tensor4d(inputs, [images.length, k_esrgan_input_size, k_esrgan_input_size, 3])) as tf.Tensor).dataSync() as Float32Array);
  model.dispose();
  const size = k_output_size * k_output_size * 3;
  return {
    esrgan: images.map((img, i) => psnr(outputToPixels(output.subarray(i * size, (i + 1) * size), k_esrgan_postprocessing), img.target.pixels)),
    bilinear: images.map((img) => psnr(upscaleBilinear(img.input, k_esrgan_scale), img.target.pixels)),
  };
}

export async function buildEsrgan(): Promise<void> {
  const started = performance.now();
  await tf.setBackend('cpu');
  const pkg = npmPackage(k_esrgan_package.name, k_esrgan_package.version);
  const label = `npm ${k_esrgan_package.name}@${pkg.version}`;
  const tfjsBytes = await writeFixedShapeModel(pkg.dir, join(k_out, 'tfjs/fp32'));
  const onnxBytes = await convertTfjsFiles(join(k_out, k_tfjs_path), k_esrgan_spec.exportOptions);
  const onnxRef = await writeRef(k_out, k_onnx_path, onnxBytes);

  const images = loadEsrganImages(pkg.dir, label, k_esrgan_input_size, k_esrgan_scale);
  if (images === undefined) throw new Error('ESRGAN evaluation images are unavailable');
  const { inputs: inputPixels, targets } = esrganEvalBytes(images);
  const imagesRef = await writeRef(k_out, k_esrgan_images_path, inputPixels);
  const targetsRef = await writeRef(k_out, k_esrgan_targets_path, targets);
  const quality = await measureQuality(images, imagesToInput(inputPixels, k_esrgan_preprocessing, 0, images.length));
  images.forEach((img, i) => console.log(`  ${img.source.name}: ESRGAN ${quality.esrgan[i]?.toFixed(2)} dB, bilinear ${quality.bilinear[i]?.toFixed(2)} dB`));
  const [esrganDb, bilinearDb] = [Number(mean(quality.esrgan).toFixed(2)), Number(mean(quality.bilinear).toFixed(2))];

  const manifest: ManifestWithoutGolden = {
    schemaVersion: k_manifest_schema_version,
    id: k_esrgan_spec.id,
    name: 'ESRGAN slim ×2 super-resolution (RDN)',
    task: 'image-to-image',
    description:
      `Upscales a ${k_esrgan_input_size}×${k_esrgan_input_size} RGB image to ${k_output_size}×${k_output_size}: the pretrained x2 "slim" ESRGAN/RDN model of UpscalerJS ` +
      '(residual dense blocks, 3×3 and 5×5 convolutions with 64 channels, concatenations, residual additions, nearest upsampling). ' +
      `About ${Math.round(onnxBytes.byteLength / 1000)} kB of weights but ~0.23 billion multiply-adds per image: the zoo's compute-heavy model. ` +
      'Both formats carry the same weights; the input size is fixed so every engine (including WebGL) can run it.',
    source: {
      data: 'Evaluation photographs: the hibiscus fixture of @upscalerjs/esrgan-slim (MIT) and the scikit-image sample images astronaut (public domain), chelsea and coffee (CC0) from Debian python3-skimage',
      license: 'MIT (fixture), public domain and CC0 (scikit-image photographs)',
      url: 'https://github.com/thekevinscott/UpscalerJS',
    },
    license: 'MIT (model: @upscalerjs/esrgan-slim, Kevin Scott)',
    inputs: [{ name: 'image', shape: [null, k_esrgan_input_size, k_esrgan_input_size, 3], dtype: 'float32' }],
    outputs: [{ name: 'upscaled', shape: [null, k_output_size, k_output_size, 3], dtype: 'float32' }],
    preprocessing: k_esrgan_preprocessing,
    postprocessing: k_esrgan_postprocessing,
    pretrained: {
      package: `${k_esrgan_package.name}@${pkg.version} (npm)`,
      integrity: pkg.integrity,
      file: `models/x${k_esrgan_scale}/model.json + ${k_weights_file}`,
      recipe:
        'RDN (C=1, D=2, G=4, G0=64, T=10) trained by UpscalerJS on DIV2K with 128-pixel patches, x2, best validation loss at epoch 494 ' +
        '(rdn-C1-D2-G4-G064-T10-x2-patchsize128-compress100-sharpen0-datadiv2k-vary_cFalse_best-val_loss_epoch494), Keras 2.10, TensorFlow.js Converter 1.2.6',
      changes: `InputLayer batch_input_shape fixed to [null, ${k_esrgan_input_size}, ${k_esrgan_input_size}, 3] (upstream: [null, null, null, 3]); weights byte-identical`,
    },
    quality: {
      metric: 'psnr-db',
      description:
        `Mean PSNR over the ${images.length} evaluation images of the ${k_output_size}×${k_output_size} output (fp32: TF.js cpu; other precisions: their ONNX file on onnxruntime-node; clamped and rounded to 8 bits) ` +
        `against the original ${k_output_size}×${k_output_size} crop the ${k_esrgan_input_size}×${k_esrgan_input_size} input was bicubic-downscaled from`,
      values: { fp32: esrganDb },
      baseline: { name: 'bilinear upscaling', value: bilinearDb },
    },
    artifacts: { fp32: { onnx: onnxRef, tfjs: await tfjsRef(k_out, k_tfjs_path) } },
    evaluation: {
      format: 'uint8-images',
      rows: images.length,
      images: { path: imagesRef.path, height: k_esrgan_input_size, width: k_esrgan_input_size, channels: 3, bytes: imagesRef.bytes, sha256: imagesRef.sha256 },
      targets: { path: targetsRef.path, height: k_output_size, width: k_output_size, channels: 3, bytes: targetsRef.bytes, sha256: targetsRef.sha256 },
      sliceColumns: [],
      sources: images.map((img) => ({
        name: img.source.name,
        origin: img.origin,
        license: img.source.license,
        crop:
          `box-downscaled ${img.source.downscale}×, ${k_output_size}×${k_output_size} crop at (${img.source.left}, ${img.source.top}) = target; ` +
          `target downscaled ${k_esrgan_scale}× with antialiased bicubic (MATLAB imresize style) = input`,
      })),
    },
  };
  const kept = await writeManifest(k_out, manifest, (n) => Array.from({ length: Math.min(n, images.length) }, (_, i) => imagesToInput(inputPixels, k_esrgan_preprocessing, i, 1)));
  console.log(`wrote ${k_out}: onnx ${onnxBytes.byteLength} B, tfjs ${tfjsBytes} B, PSNR ${esrganDb} dB (bilinear ${bilinearDb} dB), ` +
    `golden outputs ${kept ? 'kept (ONNX unchanged)' : 'MISSING: run the tools/reference step'}; total ${seconds(performance.now() - started)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildEsrgan();
