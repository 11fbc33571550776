/**
 * Which of LiteRT.js's four wasm builds a LiteRT cell loads, and why: a pure
 * choice from what the worker found (tested), so the cell records the build
 * that really ran. LiteRT.js's own loader makes the same choice from the
 * same features; the lab names the file itself instead of a folder, so there
 * is no second guess.
 *
 * - threaded: XNNPACK with a pthread pool; needs relaxed SIMD, wasm threads
 *   and a cross-origin-isolated page (SharedArrayBuffer);
 * - jspi: can suspend wasm while JavaScript awaits (WebAssembly.Suspending):
 *   needed for WebNN, and on WebGPU for running the operators the GPU lacks
 *   on wasm (model partitioning); single-threaded;
 * - plain: relaxed SIMD, one thread;
 * - compat: no relaxed SIMD (older engines), one thread.
 */

export type LiteRtAccelerator = 'wasm' | 'webgpu' | 'webnn';

export const LITERT_BUILDS = Object.freeze({
  plain: 'litert_wasm_internal',
  threaded: 'litert_wasm_threaded_internal',
  jspi: 'litert_wasm_jspi_internal',
  compat: 'litert_wasm_compat_internal',
} as const);
export type LiteRtBuild = keyof typeof LITERT_BUILDS;

/** Every runtime file LiteRT.js can fetch: each build's glue (.js) and binary (.wasm). */
export const LITERT_FILES: readonly string[] = Object.freeze(Object.values(LITERT_BUILDS).flatMap((base) => [`${base}.js`, `${base}.wasm`]));

export interface LiteRtFeatures {
  relaxedSimd: boolean;
  /** SharedArrayBuffer can be posted and wasm atomics validate. */
  threads: boolean;
  crossOriginIsolated: boolean;
  jspi: boolean;
}

export interface LiteRtBuildChoice {
  build: LiteRtBuild;
  /** The glue file the worker evaluates; the .wasm beside it has the same base name. */
  jsFile: string;
  wasmFile: string;
  /** Why this build, in a learner's words (recorded with the cell). */
  why: string;
}

function choice(build: LiteRtBuild, why: string): LiteRtBuildChoice {
  const base = LITERT_BUILDS[build];
  return { build, jsFile: `${base}.js`, wasmFile: `${base}.wasm`, why };
}

/**
 * The build a cell on `accelerator` loads here.
 * @returns a reason string instead when the accelerator cannot run on any build (WebNN without JSPI).
 */
export function chooseLiteRtBuild(accelerator: LiteRtAccelerator, f: LiteRtFeatures): LiteRtBuildChoice | string {
  if (accelerator === 'webnn') {
    if (!f.relaxedSimd || !f.jspi) return `LiteRT.js runs WebNN only on its JSPI build, which needs relaxed SIMD${f.relaxedSimd ? '' : ' (missing here)'} and JSPI${f.jspi ? '' : ' (missing here)'}`;
    return choice('jspi', 'WebNN needs the JSPI build (wasm waits for the WebNN graph)');
  }
  if (!f.relaxedSimd) return choice('compat', 'no relaxed SIMD here: the compat build (one thread, no JSPI)');
  if (accelerator === 'webgpu') {
    return f.jspi
      ? choice('jspi', 'the JSPI build: operators the WebGPU delegate lacks run on wasm (model partitioning)')
      : choice('plain', 'no JSPI here: a model the WebGPU delegate cannot run whole falls back to wasm entirely');
  }
  if (f.threads && f.crossOriginIsolated) return choice('threaded', 'cross-origin isolated with wasm threads: the threaded XNNPACK build');
  return choice('plain', f.crossOriginIsolated ? 'no wasm threads here: the single-threaded build' : 'the page is not cross-origin isolated (no SharedArrayBuffer): the single-threaded build');
}
