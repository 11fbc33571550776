/** Messages between the page and a wasm-SIMD ceiling worker (one tagged union, both sides import only this). */
export type CeilingRequest = { type: 'run'; iterations: number };
export type CeilingReply = { type: 'ready' } | { type: 'done'; ms: number; result: number } | { type: 'error'; message: string };
