import type { EngineDescriptor } from './engine';
import { LITERT_WASM } from './litert-wasm.descriptor.ts';
import { LITERT_WEBGPU } from './litert-webgpu.descriptor.ts';
import { LITERT_WEBNN } from './litert-webnn.descriptor.ts';
import { ORT_WASM } from './ort-wasm.descriptor.ts';
import { ORT_WEBGL } from './ort-webgl.descriptor.ts';
import { ORT_WEBGPU } from './ort-webgpu.descriptor.ts';
import { ORT_WEBNN } from './ort-webnn.descriptor.ts';
import { TFJS_CPU } from './tfjs-cpu.descriptor.ts';
import { TFJS_WASM } from './tfjs-wasm.descriptor.ts';
import { TFJS_WEBGL } from './tfjs-webgl.descriptor.ts';
import { TFJS_WEBGPU } from './tfjs-webgpu.descriptor.ts';

/**
 * Every engine the lab knows, in display order. Adding an engine is a
 * descriptor file, an adapter file named `<id>-engine.ts`, and one line here:
 * plans, the UI, the CLI, budgets, the dev server and the build read this list.
 * Pure data, so Node (CLI, Vite config) can import it without any runtime.
 */
const LIST = [ORT_WASM, ORT_WEBGL, ORT_WEBGPU, ORT_WEBNN, TFJS_CPU, TFJS_WASM, TFJS_WEBGL, TFJS_WEBGPU, LITERT_WASM, LITERT_WEBGPU, LITERT_WEBNN] as const;

export type EngineId = (typeof LIST)[number]['id'];

export const ENGINE_LIST: readonly EngineDescriptor<EngineId>[] = Object.freeze([...LIST]);

export const ENGINE_IDS: readonly [EngineId, ...EngineId[]] = Object.freeze(ENGINE_LIST.map((d) => d.id) as [EngineId, ...EngineId[]]);

export const ENGINES: Readonly<Record<EngineId, EngineDescriptor<EngineId>>> = Object.freeze(
  Object.fromEntries(ENGINE_LIST.map((d) => [d.id, d])) as unknown as Record<EngineId, EngineDescriptor<EngineId>>,
);

export function isEngineId(value: string): value is EngineId {
  return (ENGINE_IDS as readonly string[]).includes(value);
}

/** Each runtime with the package whose version is its version, in display order: "onnxruntime-web" → "onnxruntime-web". */
export function runtimePackages(): [runtime: string, pkg: string][] {
  const seen = new Map<string, string>();
  for (const d of ENGINE_LIST) {
    const known = seen.get(d.runtime);
    if (known !== undefined && known !== d.runtimePackage) throw new Error(`Runtime "${d.runtime}" names two packages: ${known} and ${d.runtimePackage}`);
    seen.set(d.runtime, d.runtimePackage);
  }
  return [...seen.entries()];
}

/** Every package some adapter imports lazily (the dev server pre-bundles them). */
export function enginePackages(): string[] {
  return [...new Set(ENGINE_LIST.flatMap((d) => d.packages))];
}

/** Runtime files to serve from the app's origin, merged per folder. */
export function engineAssets(): { folder: string; from: string; files: string[] }[] {
  const byFolder = new Map<string, { folder: string; from: string; files: string[] }>();
  for (const asset of ENGINE_LIST.flatMap((d) => d.assets)) {
    const entry = byFolder.get(asset.folder) ?? { folder: asset.folder, from: asset.from, files: [] };
    if (entry.from !== asset.from) throw new Error(`Runtime folder "${asset.folder}" is claimed by two sources: ${entry.from} and ${asset.from}`);
    for (const file of asset.files) if (!entry.files.includes(file)) entry.files.push(file);
    byFolder.set(asset.folder, entry);
  }
  return [...byFolder.values()];
}
