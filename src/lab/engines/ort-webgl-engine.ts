import { createOrtEngine } from './ort-common';
import { ENGINES } from './engine-descriptors';
import { probeWebGl2 } from './worker-probes';

/** `onnxruntime-web/webgl`: needs no wasm, but rejects symbolic dimensions, so each batch size gets a fixed-shape copy. */
export const ortWebglEngine = createOrtEngine({
  descriptor: ENGINES['ort-webgl'],
  load: () => import('onnxruntime-web/webgl'),
  wasmFile: null,
  executionProviders: ['webgl'],
  probe: probeWebGl2,
  fixedShapes: async (bytes, batch) => (await import('../models/onnx-fixed-shape')).fixBatchDimension(bytes, batch),
});
