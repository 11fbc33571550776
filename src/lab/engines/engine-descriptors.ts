import type { EngineDescriptor, EngineId } from './engine';

/** What each engine is; frozen so plans, UI and results all read one table. */
export const ENGINES: Readonly<Record<EngineId, EngineDescriptor>> = Object.freeze({
  'ort-wasm': { id: 'ort-wasm', runtime: 'onnxruntime-web', backend: 'wasm', label: 'ORT wasm', format: 'onnx', bundle: 'onnxruntime-web/wasm' },
  'ort-webgl': { id: 'ort-webgl', runtime: 'onnxruntime-web', backend: 'webgl', label: 'ORT WebGL', format: 'onnx', bundle: 'onnxruntime-web/webgl' },
  'ort-webgpu': { id: 'ort-webgpu', runtime: 'onnxruntime-web', backend: 'webgpu', label: 'ORT WebGPU', format: 'onnx', bundle: 'onnxruntime-web/webgpu' },
  'ort-webnn': { id: 'ort-webnn', runtime: 'onnxruntime-web', backend: 'webnn', label: 'ORT WebNN', format: 'onnx', bundle: 'onnxruntime-web' },
  'tfjs-cpu': { id: 'tfjs-cpu', runtime: 'tensorflow.js', backend: 'cpu', label: 'TF.js CPU', format: 'tfjs', bundle: '@tensorflow/tfjs' },
  'tfjs-wasm': { id: 'tfjs-wasm', runtime: 'tensorflow.js', backend: 'wasm', label: 'TF.js wasm', format: 'tfjs', bundle: '@tensorflow/tfjs-backend-wasm' },
  'tfjs-webgl': { id: 'tfjs-webgl', runtime: 'tensorflow.js', backend: 'webgl', label: 'TF.js WebGL', format: 'tfjs', bundle: '@tensorflow/tfjs' },
  'tfjs-webgpu': { id: 'tfjs-webgpu', runtime: 'tensorflow.js', backend: 'webgpu', label: 'TF.js WebGPU', format: 'tfjs', bundle: '@tensorflow/tfjs-backend-webgpu' },
});
