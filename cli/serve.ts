import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { networkInterfaces } from 'node:os';
import sirv from 'sirv';
import { ISOLATION_HEADERS } from '../src/hosting/isolation-headers';
import { readBuildStamp, sourceStamp } from './build-stamp';

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

/** The installed package has no built site: nothing the user can fix but a reinstall. */
export class MissingBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingBuildError';
  }
}

/** Where dist/ stands against the sources beside it (cli/build-stamp.ts). */
export type BuildState = 'current' | 'missing' | 'unstamped' | 'stale' | 'installed' | 'installed-missing';

export function buildState(root: string): BuildState {
  const dist = join(root, 'dist');
  const built = existsSync(join(dist, 'index.html'));
  const sources = sourceStamp(root);
  // An installed package has no sources: it ships dist/ prebuilt (`npm pack` builds it).
  if (sources === null) return built ? 'installed' : 'installed-missing';
  if (!built) return 'missing';
  const stamp = readBuildStamp(dist);
  return stamp === null ? 'unstamped' : stamp === sources ? 'current' : 'stale';
}

const REBUILD_WHY: Partial<Record<BuildState, string>> = {
  missing: 'No build found in dist/: building the lab once (npm run build)…',
  unstamped: 'dist/ carries no build stamp, so it cannot be matched to the sources: rebuilding the lab (npm run build)…',
  stale: 'dist/ was built from other sources than these (its build stamp differs): rebuilding the lab (npm run build)…',
};

/**
 * Makes sure dist/ is the build of the sources beside it: in a checkout, a
 * missing, unstamped or stale build is rebuilt (never served as if current);
 * an installed package without its prebuilt dist/ is refused.
 */
export async function ensureBuilt(root: string, log: (line: string) => void): Promise<void> {
  const state = buildState(root);
  if (state === 'current' || state === 'installed') return;
  if (state === 'installed-missing') throw new MissingBuildError(`This installation of inference-lab has no built lab at ${join(root, 'dist')}: reinstall the package.`);
  log(REBUILD_WHY[state]!);
  // vite is a build tool of the checkout (devDependency), never needed by an installed package.
  const { build } = await import('vite');
  await build({ root, logLevel: 'warn' });
}

/** `https://x.example` → `https://x.example/inference-lab/`; a URL with its own path is kept as given. */
export function publicLabUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = SERVE_BASE;
  else if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/**
 * Serves dist/ under SERVE_BASE with cross-origin isolation (COOP/COEP), as
 * `npm run preview` and a well-configured static host do.
 */
export async function serveLab(root: string, options: ServeOptions = {}): Promise<ServedLab> {
  const host = options.host ?? '127.0.0.1';
  // The build's brotli and gzip twins go to browsers that accept them, as a static host serves them.
  const files = sirv(join(root, 'dist'), { dev: false, etag: true, brotli: true, gzip: true });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
    const url = req.url ?? '/';
    if (url === SERVE_BASE.slice(0, -1)) {
      res.writeHead(301, { Location: SERVE_BASE }).end();
      return;
    }
    if (!url.startsWith(SERVE_BASE)) {
      res.writeHead(404).end();
      return;
    }
    req.url = url.slice(SERVE_BASE.length - 1);
    files(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The lab server has no TCP address');
  const wildcard = host === '0.0.0.0' || host === '::';
  const listening = wildcard ? '127.0.0.1' : host;
  const originOf = (address_: string) => `http://${address_.includes(':') ? `[${address_}]` : address_}:${address.port}`;
  const origin = originOf(listening);
  // Served on every interface: a remote browser cannot open this machine's loopback, so it gets a network address.
  const network = wildcard ? networkAddress() : null;
  return {
    url: `${origin}${SERVE_BASE}`,
    remoteUrl: options.publicUrl ? publicLabUrl(options.publicUrl) : `${network ? originOf(network) : origin}${SERVE_BASE}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** This machine's first non-loopback IPv4 address (what a browser elsewhere on the network can reach), or null. */
export function networkAddress(interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string | null {
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return null;
}
