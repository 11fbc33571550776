import { createTfjsEngine } from './tfjs-common';
import { TFJS_WEBGL } from './tfjs-webgl.descriptor';
import { probeWebGl2 } from './worker-probes';

export const adapter = createTfjsEngine({
  descriptor: TFJS_WEBGL,
  backendName: 'webgl',
  probe: probeWebGl2,
  // A global flag: it must be set before the backend starts, which a fresh worker per cell guarantees.
  register(tf, ctx) {
    tf.env().set('WEBGL_FORCE_F16_TEXTURES', ctx.precision === 'fp16c');
    return Promise.resolve();
  },
  // Textures are invisible to every browser API; TF.js counts what it allocated (its pool of free textures included).
  memory(tf) {
    const m = tf.memory() as { numBytesInGPU?: number; numBytesInGPUAllocated?: number };
    return { source: 'TF.js WebGL textures', bytes: m.numBytesInGPUAllocated ?? m.numBytesInGPU ?? 0 };
  },
  describe(tf) {
    return {
      wasmFile: null,
      threads: 0,
      facts: { 'f16-textures': tf.env().getBool('WEBGL_FORCE_F16_TEXTURES') },
      details: {
        webglVersion: tf.env().getNumber('WEBGL_VERSION'),
        renderFloat32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
        forceF16Textures: tf.env().getBool('WEBGL_FORCE_F16_TEXTURES'),
      },
    };
  },
});
