import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { k_build_stamp_file, sourceStamp } from '../cli/build-stamp.ts';

/** Writes what dist/ was built from (cli/build-stamp.ts), so the CLI can tell a stale build from a current one. */
export function buildStamp(): Plugin {
  let root = '';
  let outDir = '';
  return {
    name: 'inference-lab-build-stamp',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = config.build.outDir;
    },
    closeBundle() {
      writeFileSync(join(root, outDir, k_build_stamp_file), `${JSON.stringify({ sources: sourceStamp(root) })}\n`);
    },
  };
}
