import { createOrtEngine } from './ort-common';
import { ORT_WEBGL } from './ort-webgl.descriptor';
import { probeWebGl2 } from './worker-probes';

/** Needs no wasm, but rejects symbolic dimensions, so each batch size gets a fixed-shape copy. */
export const adapter = createOrtEngine({
  descriptor: ORT_WEBGL,
  load: () => import('onnxruntime-web/webgl'),
  wasmFile: null,
  executionProviders: ['webgl'],
  probe: probeWebGl2,
  sessionProfiler: false,
  fixedShapes: async (bytes, batch) => (await import('../models/onnx-fixed-shape')).fixBatchDimension(bytes, batch),
  preflight: async (bytes) => (await import('./ort-webgl-support')).findWebglUnsupported(bytes),
});
