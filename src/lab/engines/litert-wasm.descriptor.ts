import { litertDescriptor } from './litert-precisions.ts';

/**
 * Not in the quick plan yet: its threaded build's worker hung (silent > 60 s)
 * in the fidelity pass's attributions after batch sizes 1 and 16 were
 * compiled (reproducible here; one thread, or batch 1 alone, completed).
 *
 * XNNPACK on wasm (threaded build when the page is cross-origin isolated): LiteRT.js's CPU path. */
export const LITERT_WASM = litertDescriptor('litert-wasm', 'wasm', 'LiteRT wasm', []);
