import { createLiteRtEngine } from './litert-common';
import { LITERT_WASM } from './litert-wasm.descriptor';
import { probeWasmSimd } from './worker-probes';

/** XNNPACK on wasm: the threaded build in a cross-origin-isolated page, else the single-threaded one (litert-build.ts). */
export const adapter = createLiteRtEngine({ descriptor: LITERT_WASM, accelerator: 'wasm', probe: probeWasmSimd });
