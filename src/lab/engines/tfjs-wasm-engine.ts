import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import { createTfjsEngine } from './tfjs-common';
import { TFJS_WASM } from './tfjs-wasm.descriptor';
import { probeWasmSimd } from './worker-probes';

/**
 * TF.js picks its threaded SIMD build when the page is cross-origin isolated
 * (SharedArrayBuffer); the lab asks it for the same thread count as ORT wasm
 * gets, and records the count XNNPACK reports back, not the one asked for.
 * The threaded build's pthread workers crashed after bundling until
 * vite-plugins/tfjs-wasm-threads.ts made its glue survive minification.
 */
let wasm: typeof TfWasm | undefined;

export const adapter = createTfjsEngine({
  descriptor: TFJS_WASM,
  backendName: 'wasm',
  probe: probeWasmSimd,
  async register(_tf, ctx) {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${ctx.appBaseUrl}tfjs/`);
    // Must precede setBackend('wasm'): XNNPACK sizes its pool once, at init. Without isolation TF.js runs its single-threaded build.
    wasm.setThreadsCount(globalThis.crossOriginIsolated ? Math.max(1, ctx.threads) : 1);
  },
  // Its tensors live in the wasm memory (tracked for every engine); TF.js's own count of them is shown beside it, not added.
  memory: (tf) => ({ source: 'TF.js tensors (in wasm memory)', bytes: tf.memory().numBytes, inside: 'wasm memory' }),
  describe(tf, ctx) {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const threadedBuild = simd && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    const threads = wasm?.getThreadsCount() ?? 1;
    return {
      wasmFile: threadedBuild ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm',
      threads,
      details: {
        simd,
        threadedBuild,
        threadsRequested: globalThis.crossOriginIsolated ? ctx.threads : 1,
        crossOriginIsolated: globalThis.crossOriginIsolated,
        ...(threadedBuild ? {} : { threadsNote: 'single-threaded build: the page is not cross-origin isolated (no SharedArrayBuffer)' }),
      },
    };
  },
});
