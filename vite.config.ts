import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { appVersion, packageVersion, runtimeAssets } from './vite-plugins/runtime-assets.ts';

const root = import.meta.dirname;

// Threads (SharedArrayBuffer) need cross-origin isolation; both servers send it
// so that local numbers are measured the way a well-configured host gives them.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative base: the same build works at / and under any sub-path (GitHub Pages).
  base: './',
  plugins: [react(), runtimeAssets()],
  define: {
    __ORT_VERSION__: JSON.stringify(packageVersion(root, 'onnxruntime-web')),
    __TFJS_VERSION__: JSON.stringify(packageVersion(root, '@tensorflow/tfjs')),
    __APP_VERSION__: JSON.stringify(appVersion(root)),
  },
  resolve: {
    // onnxruntime-web's "bundle" builds reference their wasm with
    // `new URL(..., import.meta.url)`, which makes Vite emit a second, hashed
    // copy of a 14–28 MB file. The extern-wasm builds load it from wasmPaths.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  worker: { format: 'es' },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
