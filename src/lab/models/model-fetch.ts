import type { ModelFormat, ModelPayload } from '../engines/engine';
import type { Precision } from '../runner/plan';
import type { ModelManifest } from './manifest';
import { parseManifest } from './manifest';
import { errorMessage } from '../util/errors';

/** Absolute URL of a model's folder, ending in "/". */
export function modelFolderUrl(appBaseUrl: string, modelId: string): string {
  return new URL(`models/${encodeURIComponent(modelId)}/`, appBaseUrl).href;
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Fetching ${url} failed: HTTP ${response.status} ${response.statusText}`);
  return response;
}

export async function fetchManifest(appBaseUrl: string, modelId: string): Promise<ModelManifest> {
  const url = new URL('manifest.json', modelFolderUrl(appBaseUrl, modelId)).href;
  let json: unknown;
  try {
    json = await (await fetchOk(url)).json();
  } catch (error) {
    throw new Error(`Model "${modelId}" has no readable manifest at ${url}: ${errorMessage(error)}`, { cause: error });
  }
  return parseManifest(json);
}

/** Bytes of a file named relative to a model's folder (eval data, golden files). */
export async function fetchModelFile(appBaseUrl: string, modelId: string, relativePath: string): Promise<ArrayBuffer> {
  return (await fetchOk(new URL(relativePath, modelFolderUrl(appBaseUrl, modelId)).href)).arrayBuffer();
}

export interface ZooIndex {
  models: string[];
}

export async function fetchZooIndex(appBaseUrl: string): Promise<ZooIndex> {
  return (await (await fetchOk(new URL('models/index.json', appBaseUrl).href)).json()) as ZooIndex;
}

/** Fetches one artifact's bytes (for TF.js: model.json and every weight file). */
export async function fetchModelPayload(
  appBaseUrl: string,
  manifest: ModelManifest,
  format: ModelFormat,
  precision: Precision,
): Promise<ModelPayload> {
  const set = manifest.artifacts[precision];
  const ref = set?.[format];
  if (!ref) throw new Error(`Model "${manifest.id}" has no ${precision} ${format === 'onnx' ? 'ONNX' : 'TF.js'} artifact`);
  const url = new URL(ref.path, modelFolderUrl(appBaseUrl, manifest.id)).href;
  if (format === 'onnx') return { format, bytes: new Uint8Array(await (await fetchOk(url)).arrayBuffer()) };

  const modelJson = (await (await fetchOk(url)).json()) as { weightsManifest?: { paths: string[] }[] };
  const paths = (modelJson.weightsManifest ?? []).flatMap((group) => group.paths);
  const parts = await Promise.all(paths.map(async (p) => new Uint8Array(await (await fetchOk(new URL(p, url).href)).arrayBuffer())));
  const weightData = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  return { format, modelJson, weightData: weightData.buffer };
}
