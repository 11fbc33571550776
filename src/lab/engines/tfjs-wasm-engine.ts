import { createTfjsEngine } from './tfjs-common';
import { TFJS_WASM } from './tfjs-wasm.descriptor';
import { probeWasmSimd } from './worker-probes';

/**
 * The threaded wasm build crashed at worker level after `vite build`
 * (ReferenceError in its pthread worker) and setBackend never resolved, so the
 * lab runs the single-threaded SIMD build and says so in every cell.
 */
export const adapter = createTfjsEngine({
  descriptor: TFJS_WASM,
  backendName: 'wasm',
  probe: probeWasmSimd,
  async register(tf, ctx) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setWasmPaths(`${ctx.appBaseUrl}tfjs/`);
  },
  describe(tf) {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    return {
      wasmFile: simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm',
      threads: 1,
      details: { simd, threadedBuild: false, threadsNote: 'threaded build disabled: it crashes after bundling' },
    };
  },
});
