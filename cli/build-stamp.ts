import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What the built site (dist/) was built from: a hash over every input of
 * `vite build`, written into dist/ by the build (vite.config.ts) and compared
 * by the CLI before it serves, so a checkout whose sources moved on never
 * serves an old build as if it were the current one.
 */
export const k_build_stamp_file = 'build-stamp.json';

/** Inputs of the site's build, relative to the package root; public/ort and public/tfjs are copied from node_modules (package-lock.json covers them). */
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'vite-plugins', 'package-lock.json', 'tsconfig.app.json', 'tsconfig.base.json'];
const DERIVED = new Set(['public/ort', 'public/tfjs']);

function files(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full) || DERIVED.has(path)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(root, `${path}/${name}`));
}

/** The hash of the build's inputs in a checkout (null where there are no sources: an installed package ships dist/ prebuilt). */
export function sourceStamp(root: string): string | null {
  if (!existsSync(join(root, 'src'))) return null;
  const hash = createHash('sha256');
  for (const path of INPUTS.flatMap((p) => files(root, p))) {
    hash.update(`${relative(root, join(root, path))}\0`);
    hash.update(readFileSync(join(root, path)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function readBuildStamp(dist: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dist, k_build_stamp_file), 'utf8')) as { sources?: string }).sources ?? null;
  } catch {
    return null;
  }
}
