import type { ModelFormat, ModelPayload } from './model-formats';
import { formatLabel, MODEL_FORMAT_INFO } from './model-formats';
import type { Precision } from '../engines/precision';
import type { ModelManifest } from './manifest';
import { parseManifest } from './manifest';
import { errorMessage } from '../util/errors';

/** Absolute URL of a model's folder, ending in "/". */
export function modelFolderUrl(appBaseUrl: string, modelId: string): string {
  return new URL(`models/${encodeURIComponent(modelId)}/`, appBaseUrl).href;
}

/** The bytes of a model file differ from what its manifest says: the cell is errored "model file changed". */
export class ModelFileChangedError extends Error {
  override readonly name = 'ModelFileChangedError';
}

/** SHA-256 of the concatenated parts, lowercase hex (Web Crypto: browsers, workers, Node). */
export async function sha256Hex(parts: readonly Uint8Array[]): Promise<string> {
  const total = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    total.set(part, offset);
    offset += part.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', total));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function verify(parts: readonly Uint8Array[], expected: string, what: string): Promise<void> {
  const actual = await sha256Hex(parts);
  if (actual !== expected) {
    throw new ModelFileChangedError(`model file changed: ${what} has SHA-256 ${actual.slice(0, 12)}…, the manifest says ${expected.slice(0, 12)}…`);
  }
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
    const response = await fetchOk(url);
    // A static host (and vite preview) answers an unknown path with the app's index.html: say so, not "Unexpected token '<'".
    if (/^text\/html\b/i.test(response.headers.get('content-type') ?? '')) {
      throw new Error(`No model "${modelId}" in this lab's zoo: ${url} is not there (the server answered with a web page)`);
    }
    json = await response.json();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('No model ')) throw error;
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

/**
 * Fetches one artifact's bytes (for TF.js: model.json and every weight file)
 * and checks them against the manifest's SHA-256 before any engine sees them.
 * @throws ModelFileChangedError when the bytes are not the ones the manifest describes.
 */
export async function fetchModelPayload(
  appBaseUrl: string,
  manifest: ModelManifest,
  format: ModelFormat,
  precision: Precision,
): Promise<ModelPayload> {
  const set = manifest.artifacts[precision];
  const ref = set?.[format];
  if (!ref) throw new Error(`Model "${manifest.id}" has no ${precision} ${formatLabel(format)} artifact`);
  const url = new URL(ref.path, modelFolderUrl(appBaseUrl, manifest.id)).href;
  if (format !== 'tfjs') {
    if (MODEL_FORMAT_INFO[format].files !== 'file') throw new Error(`No reader for ${formatLabel(format)} files`);
    const bytes = new Uint8Array(await (await fetchOk(url)).arrayBuffer());
    await verify([bytes], ref.sha256, ref.path);
    return { format, bytes };
  }

  const jsonBytes = new Uint8Array(await (await fetchOk(url)).arrayBuffer());
  let modelJson: { weightsManifest?: { paths?: unknown }[] };
  try {
    modelJson = JSON.parse(new TextDecoder().decode(jsonBytes)) as typeof modelJson;
  } catch (error) {
    throw new Error(`${ref.path} is not JSON: ${errorMessage(error)}`, { cause: error });
  }
  const groups = Array.isArray(modelJson.weightsManifest) ? modelJson.weightsManifest : [];
  const paths = groups.flatMap((group) => (Array.isArray(group.paths) ? group.paths.filter((p): p is string => typeof p === 'string') : []));
  const parts = await Promise.all(paths.map(async (p) => new Uint8Array(await (await fetchOk(new URL(p, url).href)).arrayBuffer())));
  await verify([jsonBytes, ...parts], ref.sha256, `${ref.path} with its ${parts.length} weight file(s)`);
  const weightData = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  return { format, modelJson, weightData: weightData.buffer };
}
