import { createLiteRtEngine } from './litert-common';
import { LITERT_WEBGPU } from './litert-webgpu.descriptor';
import { probeWebGpu } from './worker-probes';

/** LiteRT.js's WebGPU delegate; with JSPI, operators it lacks run on wasm, and the cell says so (`fallback`). */
export const adapter = createLiteRtEngine({ descriptor: LITERT_WEBGPU, accelerator: 'webgpu', probe: probeWebGpu });
