import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { build } from 'vite';

/** The worker's source (see src/hosting/sw-rules.ts for what it does) and where the build puts it: the app's root, so its scope is the app. */
export const SERVICE_WORKER_ENTRY = 'src/hosting/service-worker.ts';
export const SERVICE_WORKER_FILE = 'sw.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * A digest of everything the build serves (not the compressed twins, not the
 * worker itself): any change to the app, a runtime or a model gives the worker
 * new bytes, so browsers install it, and it replaces the old cache.
 */
export function buildId(outDir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(outDir).sort()) {
    const name = relative(outDir, file);
    if (/\.(?:br|gz)$/.test(name) || name === SERVICE_WORKER_FILE) continue;
    hash.update(name).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds the service worker after the app, as one classic script (no module
 * worker: not every browser the lab serves starts those) with the build id
 * inlined.
 */
export function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'inference-lab:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      await build({
        configFile: false,
        root: config.root,
        logLevel: 'warn',
        publicDir: false,
        define: { __SW_BUILD_ID__: JSON.stringify(buildId(outDir)) },
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          copyPublicDir: false,
          lib: { entry: resolve(config.root, SERVICE_WORKER_ENTRY), formats: ['iife'], name: 'inferenceLabServiceWorker', fileName: () => SERVICE_WORKER_FILE },
        },
      });
    },
  };
}
