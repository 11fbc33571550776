/**
 * TF.js layers models to and from a folder on disk, without tfjs-node (whose
 * install downloads a native library and fails here). The files are what
 * `tf.loadLayersModel(url)` fetches in the browser: model.json plus one
 * weight shard.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const k_weights_file = 'group1-shard1of1.bin';

/** The model.json TF.js's HTTP loader reads. */
export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/**
 * Saves `model` as `<dir>/model.json` and one weight shard. Training config
 * (optimizer, loss) is left out: loading then compiles nothing, and the
 * manifest records how the model was trained.
 * @returns the bytes written, model.json plus weights.
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<number> {
  let written = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.modelTopology === undefined || artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
        throw new Error('saveLayersModel: TF.js gave no topology or weights');
      }
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const json: TfjsModelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [k_weights_file], weights: artifacts.weightSpecs }],
      };
      const text = `${JSON.stringify(json, null, 2)}\n`;
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'model.json'), text);
      await writeFile(join(dir, k_weights_file), weights);
      written = Buffer.byteLength(text) + weights.byteLength;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return written;
}

/**
 * Reads model.json and its weight files (all groups concatenated, in manifest order).
 * `sha256` covers model.json's bytes followed by the weight files', as the
 * app checks them before use (src/lab/models/model-fetch.ts).
 */
export async function readLayersModelFiles(modelJsonPath: string): Promise<{ json: TfjsModelJson; weightData: ArrayBuffer; bytes: number; sha256: string }> {
  const raw = await readFile(modelJsonPath);
  const text = raw.toString('utf8');
  const json = JSON.parse(text) as TfjsModelJson;
  const dir = join(modelJsonPath, '..');
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  const shards = await Promise.all(paths.map((p) => readFile(join(dir, p))));
  const joined = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    joined.set(shard, offset);
    offset += shard.byteLength;
  }
  const sha256 = createHash('sha256').update(raw).update(joined).digest('hex');
  return { json, weightData: joined.buffer, bytes: raw.byteLength + joined.byteLength, sha256 };
}

/** The manifest's reference to a TF.js model on disk: model.json's path relative to `modelDir`, bytes and SHA-256 of it and its weights. */
export async function tfjsRef(modelDir: string, relativePath: string): Promise<{ path: string; bytes: number; sha256: string }> {
  const { bytes, sha256 } = await readLayersModelFiles(join(modelDir, relativePath));
  return { path: relativePath, bytes, sha256 };
}

/** Loads a layers model from disk through a custom IOHandler, as the browser would from a URL. */
export async function loadLayersModelFromDisk(modelJsonPath: string): Promise<tf.LayersModel> {
  const { json, weightData } = await readLayersModelFiles(modelJsonPath);
  return tf.loadLayersModel({
    load: () =>
      Promise.resolve({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData,
        format: json.format,
        generatedBy: json.generatedBy,
      }),
  });
}
