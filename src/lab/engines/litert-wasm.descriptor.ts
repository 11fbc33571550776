import { litertDescriptor } from './litert-precisions.ts';

/** XNNPACK on wasm (threaded build when the page is cross-origin isolated): LiteRT.js's CPU path. */
export const LITERT_WASM = litertDescriptor('litert-wasm', 'wasm', 'LiteRT wasm', ['fp32', 'int8']);
