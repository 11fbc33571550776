import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { enginePackages, runtimePackages } from './src/lab/engines/engine-descriptors.ts';
import { appVersion, packageVersion, runtimeAssets } from './vite-plugins/runtime-assets.ts';
import { ISOLATION_HEADERS } from './vite-plugins/isolation-headers.ts';
import { tfjsWasmThreads } from './vite-plugins/tfjs-wasm-threads.ts';
import { buildStamp } from './vite-plugins/build-stamp.ts';

const root = import.meta.dirname;


export default defineConfig({
  // Relative base: the same build works at / and under any sub-path (GitHub Pages).
  base: './',
  plugins: [react(), runtimeAssets(), tfjsWasmThreads(), buildStamp()],
  define: {
    __RUNTIME_VERSIONS__: JSON.stringify(Object.fromEntries(runtimePackages().map(([runtime, pkg]) => [runtime, packageVersion(root, pkg)]))),
    __APP_VERSION__: JSON.stringify(appVersion(root)),
  },
  resolve: {
    // onnxruntime-web's "bundle" builds reference their wasm with
    // `new URL(..., import.meta.url)`, which makes Vite emit a second, hashed
    // copy of a 14–28 MB file. The extern-wasm builds load it from wasmPaths.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  // The engines run in workers: the worker bundle needs the TF.js threaded-glue fix too.
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  optimizeDeps: {
    // Pre-bundle what workers import lazily, so the dev server does not
    // discover them mid-run and reload the page.
    include: [...enginePackages(), 'wasm-feature-detect'],
    // The dev server's pre-bundle of tfjs-backend-wasm gets the same glue fix as the build.
    rolldownOptions: { plugins: [tfjsWasmThreads()] },
  },
  // Both servers isolate the page so local numbers are measured the way a well-configured host gives them.
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
