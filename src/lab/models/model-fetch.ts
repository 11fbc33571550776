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
  const total = concatBytes(parts);
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

/** A static host (and vite preview) answers an unknown path with the app's index.html and a 200: that is a missing file, not its contents. */
function isPageFallback(response: Response): boolean {
  return /^text\/html\b/i.test(response.headers.get('content-type') ?? '');
}

export async function fetchManifest(appBaseUrl: string, modelId: string): Promise<ModelManifest> {
  const url = new URL('manifest.json', modelFolderUrl(appBaseUrl, modelId)).href;
  let json: unknown;
  try {
    const response = await fetchOk(url);
    if (isPageFallback(response)) {
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
  const url = new URL(relativePath, modelFolderUrl(appBaseUrl, modelId)).href;
  const response = await fetchOk(url);
  // Said as missing, not "Unexpected token '<'" later: a model without a fidelity reference then reads as skipped.
  if (isPageFallback(response)) throw new Error(`Model "${modelId}" has no ${relativePath} (${url} answered with the app's web page)`);
  return response.arrayBuffer();
}

export interface ZooIndex {
  models: string[];
}

export async function fetchZooIndex(appBaseUrl: string): Promise<ZooIndex> {
  return (await (await fetchOk(new URL('models/index.json', appBaseUrl).href)).json()) as ZooIndex;
}

/**
 * Where one model's files are: served by the lab (the zoo, `models/<id>/`), or
 * held by this page (a model the user brought: Blobs handed to each cell's
 * worker, never fetched from anywhere). Paths are relative to the manifest's folder.
 */
export interface ModelFolder {
  readonly modelId: string;
  manifest(): Promise<ModelManifest>;
  file(path: string): Promise<ArrayBuffer>;
}

/** The files of a model this page holds, by path relative to its manifest (manifest.json included). */
export interface LocalModelFiles {
  files: Readonly<Record<string, Blob>>;
}

export const k_local_manifest = 'manifest.json';

export function servedModel(appBaseUrl: string, modelId: string): ModelFolder {
  return { modelId, manifest: () => fetchManifest(appBaseUrl, modelId), file: (path) => fetchModelFile(appBaseUrl, modelId, path) };
}

/** `path` relative to the folder of `base` (both relative to the model's folder), without `.` and `..`. */
export function resolveRelative(base: string, path: string): string {
  const parts = [...base.split('/').slice(0, -1), ...path.split('/')];
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

export function localModel(modelId: string, local: LocalModelFiles): ModelFolder {
  const file = async (path: string): Promise<ArrayBuffer> => {
    const blob = local.files[path];
    if (!blob) throw new Error(`Model "${modelId}" holds no file "${path}" in this page`);
    return blob.arrayBuffer();
  };
  return {
    modelId,
    file,
    manifest: async () => parseManifest(JSON.parse(new TextDecoder().decode(await file(k_local_manifest)))),
  };
}

/** The folder a model id names: one this page holds, else the lab's own. */
export function modelFolder(appBaseUrl: string, modelId: string, local: LocalModelFiles | undefined): ModelFolder {
  return local ? localModel(modelId, local) : servedModel(appBaseUrl, modelId);
}

/**
 * Reads one artifact's bytes (for TF.js: model.json and every weight file)
 * and checks them against the manifest's SHA-256 before any engine sees them.
 * @throws ModelFileChangedError when the bytes are not the ones the manifest describes.
 */
export async function readModelPayload(folder: ModelFolder, manifest: ModelManifest, format: ModelFormat, precision: Precision): Promise<ModelPayload> {
  const set = manifest.artifacts[precision];
  const ref = set?.[format];
  if (!ref) throw new Error(`Model "${manifest.id}" has no ${precision} ${formatLabel(format)} artifact`);
  if (format !== 'tfjs') {
    if (MODEL_FORMAT_INFO[format].files !== 'file') throw new Error(`No reader for ${formatLabel(format)} files`);
    const bytes = new Uint8Array(await folder.file(ref.path));
    await verify([bytes], ref.sha256, ref.path);
    return { format, bytes };
  }

  const jsonBytes = new Uint8Array(await folder.file(ref.path));
  let modelJson: { weightsManifest?: { paths?: unknown }[] };
  try {
    modelJson = JSON.parse(new TextDecoder().decode(jsonBytes)) as typeof modelJson;
  } catch (error) {
    throw new Error(`${ref.path} is not JSON: ${errorMessage(error)}`, { cause: error });
  }
  const paths = tfjsWeightPaths(modelJson);
  const parts = await Promise.all(paths.map(async (p) => new Uint8Array(await folder.file(resolveRelative(ref.path, p)))));
  await verify([jsonBytes, ...parts], ref.sha256, `${ref.path} with its ${parts.length} weight file(s)`);
  return { format, modelJson, weightData: concatBytes(parts).buffer };
}

/** The weight files a TF.js model.json names, in weights-manifest order (what the loader concatenates). */
export function tfjsWeightPaths(modelJson: unknown): string[] {
  const groups = (modelJson as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((group: { paths?: unknown }) => (Array.isArray(group?.paths) ? group.paths.filter((p): p is string => typeof p === 'string') : []));
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** {@link readModelPayload} for a zoo model served by the lab. */
export async function fetchModelPayload(appBaseUrl: string, manifest: ModelManifest, format: ModelFormat, precision: Precision): Promise<ModelPayload> {
  return readModelPayload(servedModel(appBaseUrl, manifest.id), manifest, format, precision);
}
