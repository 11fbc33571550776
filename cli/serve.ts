import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PreviewServer } from 'vite';
import { build, preview } from 'vite';

/** The sub-path the CLI serves under: the same build must work there, as on a static host. */
export const SERVE_BASE = '/inference-lab/';

export interface ServedLab {
  url: string;
  close(): Promise<void>;
}

/** Builds the static site once if `dist/` is missing (a fresh checkout after `npm ci`). */
export async function ensureBuilt(root: string, log: (line: string) => void): Promise<void> {
  if (existsSync(join(root, 'dist', 'index.html'))) return;
  log('No build found in dist/: building the lab once (npm run build)…');
  await build({ root, logLevel: 'warn' });
}

/** Serves dist/ on loopback with the same headers (COOP/COEP) as `npm run preview`. */
export async function serveLab(root: string): Promise<ServedLab> {
  const server: PreviewServer = await preview({
    root,
    base: SERVE_BASE,
    logLevel: 'silent',
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('The preview server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}${SERVE_BASE}`,
    close: () => server.close(),
  };
}
