import { litertDescriptor } from './litert-precisions.ts';

/** LiteRT.js's WebGPU delegate; operators it lacks run on wasm, named in the cell. */
export const LITERT_WEBGPU = litertDescriptor('litert-webgpu', 'webgpu', 'LiteRT WebGPU', ['fp32']);
