import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { ISOLATION_HEADERS } from './isolation-headers.ts';

import { engineAssets } from '../src/lab/engines/engine-descriptors.ts';

/**
 * The engines fetch their wasm (and onnxruntime-web its .mjs glue) at run time
 * from a path we choose. Copying them into `public/` once means dev, build and
 * preview all serve them from the app's own origin, and the build holds exactly
 * one copy of each (no hashed duplicate in dist/assets). Which files: each
 * engine's descriptor says (`assets`).
 */
const ASSETS = engineAssets();

export const RUNTIME_FILES: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(ASSETS.map((a) => [a.folder, Object.freeze([...a.files])])),
);

function copyIfChanged(from: string, to: string): void {
  if (existsSync(to) && statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs) return;
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

export function copyRuntimeFiles(root: string): void {
  for (const { folder, from, files } of ASSETS) {
    for (const file of files) copyIfChanged(resolve(root, from, file), resolve(root, 'public', folder, file));
  }
}

/** The pinned version of an installed package, read once at config time. */
export function packageVersion(root: string, name: string): string {
  const json = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return json.version;
}


/**
 * Vite's dev server treats a runtime `import()` of a .mjs under public/ as a
 * module to transform (it appends `?import`) and answers HTTP 500. Serve the
 * runtime folders as plain static files instead, ignoring the query string.
 */
function serveRuntimeFilesAsIs(root: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = req.url ?? '';
    const path = url.split('?')[0] ?? '';
    const match = /^(?:.*\/)?([\w-]+)\/([\w.-]+)$/.exec(path);
    const folder = match?.[1];
    const file = match?.[2];
    if (!folder || !file || !RUNTIME_FILES[folder]?.includes(file)) return next();
    const full = resolve(root, 'public', folder, file);
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'no-cache');
    // ORT starts its thread workers from these .mjs files: under COEP a worker
    // script without these headers is blocked (ERR_BLOCKED_BY_RESPONSE).
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
    res.end(readFileSync(full));
  };
}

export function appVersion(root: string): string {
  const json = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return json.version;
}

export function runtimeAssets(): Plugin {
  let root = process.cwd();
  return {
    name: 'inference-lab:runtime-assets',
    configResolved(config) {
      root = config.root;
      copyRuntimeFiles(root);
    },
    configureServer(server) {
      server.middlewares.use(serveRuntimeFilesAsIs(root));
    },
  };
}
