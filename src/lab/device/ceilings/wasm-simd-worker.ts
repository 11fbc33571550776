/// <reference lib="webworker" />
/**
 * One thread of the wasm-SIMD ceiling: instantiates the kernel, then times
 * `run(iterations)` on request. Imports nothing from the page's world.
 */
import type { CeilingReply, CeilingRequest } from './ceiling-protocol';
import { instantiateKernel, type KernelRun } from './wasm-simd-kernel';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: CeilingReply) => scope.postMessage(message);
let kernel: KernelRun | undefined;

scope.onmessage = (event: MessageEvent<CeilingRequest>) => {
  if (!kernel) return reply({ type: 'error', message: 'the kernel is not ready' });
  const start = performance.now();
  const result = kernel(event.data.iterations);
  reply({ type: 'done', ms: performance.now() - start, result });
};

instantiateKernel().then(
  (run) => {
    kernel = run;
    reply({ type: 'ready' });
  },
  (error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
);
