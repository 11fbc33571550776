import { createLiteRtEngine } from './litert-common';
import { LITERT_WEBNN } from './litert-webnn.descriptor';
import { probeWebNn } from './worker-probes';

/** LiteRT.js on WebNN: needs the JSPI build (litert-build.ts) and a WebNN context. */
export const adapter = createLiteRtEngine({ descriptor: LITERT_WEBNN, accelerator: 'webnn', probe: probeWebNn });
