import { createOrtEngine } from './ort-common';
import { ORT_WEBNN } from './ort-webnn.descriptor';
import { probeWebNn } from './worker-probes';

export const adapter = createOrtEngine({
  descriptor: ORT_WEBNN,
  load: () => import('onnxruntime-web'),
  wasmFile: 'ort-wasm-simd-threaded.jsep.wasm',
  executionProviders: [{ name: 'webnn', deviceType: 'cpu' }],
  probe: probeWebNn,
  preflight: async (bytes) => (await import('./ort-gpu-domains')).findOutsideGpuDomainsIn(bytes, 'webnn'),
  sessionProfiler: true,
  profilerNote: 'Node times from onnxruntime\'s session profiler as seen from the calling thread: work the WebNN context runs asynchronously may land in a later node.',
});
