import type { Plugin } from 'vite';

/**
 * TF.js's threaded wasm build starts its pthread workers from the *source
 * text* of its emscripten factory (`wasmFactoryThreadedSimd.toString()`, see
 * tfjs-backend-wasm's backend_wasm.js). That inner function reads
 * `_scriptDir`, a variable of the IIFE around it, behind a
 * `typeof _scriptDir !== "undefined"` guard that keeps it safe when the text
 * runs alone in a pthread worker. A minifier sees `_scriptDir` as a local of
 * the IIFE, renames it (`e`) and drops the guard, so the pthread worker throws
 * `ReferenceError: e is not defined` and `setBackend('wasm')` never resolves.
 *
 * In an ES-module bundle `_scriptDir` is always undefined (modules have no
 * `document.currentScript`, and `__filename` exists only in Node), so the
 * transform replaces the inner function's two reads by `undefined`: its text
 * then depends on nothing outside itself.
 *
 * Second, TF.js caps its XNNPACK pool at `emscripten_num_logical_cores() / 2`
 * (its backend.cc assumes two hyperthreads per core), so on a 2-core machine
 * it runs one thread whatever `setThreadsCount(2)` asks, while ORT wasm runs
 * `hardwareConcurrency` threads. The glue's core count is doubled so that
 * TF.js's cap becomes `hardwareConcurrency` (still at most its 8 pre-started
 * workers) and the count the lab asks for decides, as it does for ORT; the
 * cell records the count TF.js reports back.
 *
 * If a new TF.js changes the glue, the build fails here instead of the worker
 * failing at run time.
 */
const k_glue = /tfjs-backend-wasm-threaded-simd\.js$/;
const k_inner_start = 'function(WasmBackendModuleThreadedSimd) {';

const REWRITES: readonly { from: string; to: string }[] = [
  { from: 'if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', to: '' },
  { from: '"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir,', to: '"urlOrBlob":Module["mainScriptUrlOrBlob"]||undefined,' },
  {
    from: 'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]}',
    to: 'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]*2}',
  },
];

/** The glue with the inner factory made self-contained; throws when the glue is not the one this was written for. */
export function makeThreadedGlueSelfContained(code: string, id = 'tfjs-backend-wasm-threaded-simd.js'): string {
  const start = code.indexOf(k_inner_start);
  if (start < 0) throw new Error(`${id}: no "${k_inner_start}" found; the TF.js threaded wasm glue changed, re-check vite-plugins/tfjs-wasm-threads.ts`);
  let inner = code.slice(start);
  for (const { from, to } of REWRITES) {
    const at = inner.indexOf(from);
    if (at < 0 || inner.indexOf(from, at + 1) >= 0) {
      throw new Error(`${id}: expected "${from}" exactly once; the TF.js threaded wasm glue changed, re-check vite-plugins/tfjs-wasm-threads.ts`);
    }
    inner = inner.replace(from, to);
  }
  if (inner.includes('_scriptDir')) {
    throw new Error(`${id}: the inner factory still reads _scriptDir, which its pthread workers cannot see after minification`);
  }
  return code.slice(0, start) + inner;
}

export function tfjsWasmThreads(): Plugin {
  return {
    name: 'inference-lab:tfjs-wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      if (!k_glue.test(id.split('?')[0] ?? '')) return null;
      return { code: makeThreadedGlueSelfContained(code, id), map: null };
    },
  };
}
