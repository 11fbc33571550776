import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PreviewServer } from 'vite';
import { build, preview } from 'vite';

/** The sub-path the CLI serves under: the same build must work there, as on a static host. */
export const SERVE_BASE = '/inference-lab/';

export interface ServeOptions {
  /** The address to listen on (default 127.0.0.1; 0.0.0.0 for a remote browser on the network). */
  host?: string;
  /** A fixed port (a tunnel needs to know it); default: any free port. */
  port?: number;
  /** The address a remote browser opens instead (a tunnel's or a routable URL); a bare origin gets the sub-path appended. */
  publicUrl?: string;
}

export interface ServedLab {
  /** The lab as browsers started on this machine open it (loopback unless --host names one address). */
  url: string;
  /** The lab as a remote browser reaches it: --public-url, else the listening address. */
  remoteUrl: string;
  close(): Promise<void>;
}

/** Builds the static site once if `dist/` is missing (a fresh checkout after `npm ci`). */
export async function ensureBuilt(root: string, log: (line: string) => void): Promise<void> {
  if (existsSync(join(root, 'dist', 'index.html'))) return;
  log('No build found in dist/: building the lab once (npm run build)…');
  await build({ root, logLevel: 'warn' });
}

/** `https://x.example` → `https://x.example/inference-lab/`; a URL with its own path is kept as given. */
export function publicLabUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = SERVE_BASE;
  else if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** Serves dist/ with the same headers (COOP/COEP) as `npm run preview`. */
export async function serveLab(root: string, options: ServeOptions = {}): Promise<ServedLab> {
  const host = options.host ?? '127.0.0.1';
  const server: PreviewServer = await preview({
    root,
    base: SERVE_BASE,
    logLevel: 'silent',
    preview: { host, port: options.port ?? 0, strictPort: true, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('The preview server has no TCP address');
  const listening = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${listening.includes(':') ? `[${listening}]` : listening}:${address.port}`;
  return {
    url: `${origin}${SERVE_BASE}`,
    remoteUrl: options.publicUrl ? publicLabUrl(options.publicUrl) : `${origin}${SERVE_BASE}`,
    close: () => server.close(),
  };
}
