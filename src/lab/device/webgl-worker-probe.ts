/// <reference lib="webworker" />
/** A throwaway worker that answers one question: is there WebGL 2 in a worker here? (the cells run in workers) */
import { probeWebGl2 } from '../engines/worker-probes';

void probeWebGl2().then((availability) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(availability));
