import { ENGINES } from './engine-descriptors';
import { createTfjsEngine } from './tfjs-common';
import { probeWebGl2 } from './worker-probes';

export const tfjsWebglEngine = createTfjsEngine({
  descriptor: ENGINES['tfjs-webgl'],
  backendName: 'webgl',
  probe: probeWebGl2,
  describe(tf) {
    return {
      wasmFile: null,
      threads: 0,
      details: {
        webglVersion: tf.env().getNumber('WEBGL_VERSION'),
        renderFloat32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
        forceF16Textures: tf.env().getBool('WEBGL_FORCE_F16_TEXTURES'),
      },
    };
  },
});
