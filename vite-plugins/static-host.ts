import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import sirv from 'sirv';
import type { RequestHandler } from 'sirv';
import { ISOLATION_HEADERS } from '../src/hosting/isolation-headers.ts';

/**
 * Serving the built lab as a static host does: the files of `dist/`, their
 * precompressed `.br`/`.gz` twins when the browser accepts them, and, if
 * asked, the cross-origin isolation headers. `vite preview` (and so the CLI
 * and e2e) uses `staticFiles`; the hosting e2e and the bytes benchmark use
 * `serveStatic`, which can also leave the isolation headers out (a host such
 * as GitHub Pages, which cannot send them) and counts the bytes it sends.
 */
export interface StaticHostOptions {
  /** Send COOP/COEP/CORP on every response. */
  isolation: boolean;
  /** Serve `x.br` / `x.gz` for `x` where the request accepts them (default true). */
  precompressed?: boolean;
  /** `Cache-Control: max-age` in seconds (default 0: revalidate every time). GitHub Pages sends 600. */
  maxAgeSeconds?: number;
}

export function staticFiles(dir: string, { isolation, precompressed = true, maxAgeSeconds = 0 }: StaticHostOptions): RequestHandler {
  return sirv(dir, {
    etag: true,
    // By default revalidate every time, as a host that knows nothing of the app's hashed names would.
    maxAge: maxAgeSeconds,
    brotli: precompressed,
    gzip: precompressed,
    extensions: ['html'],
    setHeaders(res) {
      if (isolation) for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
    },
  });
}

/** One response the host sent: what a byte count is made of. */
export interface ServedResponse {
  url: string;
  status: number;
  /** Content-Encoding sent ("br", "gzip"), or "" when the file went as it is. */
  encoding: string;
  /** Body bytes as sent (compressed where it was). */
  bodyBytes: number;
  atMs: number;
}

export interface StaticHost {
  /** The app's URL, ending in the base path. */
  url: string;
  /** Bytes written to every connection so far (headers and bodies). */
  bytesSent(): number;
  responses: ServedResponse[];
  /** Stops listening and cuts every open connection: after this the network is gone for the page. */
  close(): Promise<void>;
}

/** Serves `dir` under `base` (e.g. "/inference-lab/") on loopback, on a free port unless one is given. */
export async function serveStatic(dir: string, base: string, options: StaticHostOptions & { port?: number }): Promise<StaticHost> {
  const files = staticFiles(dir, options);
  const responses: ServedResponse[] = [];
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  const started = performance.now();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    let bodyBytes = 0;
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) bodyBytes += Buffer.byteLength(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.on('finish', () => {
      const encoding = res.getHeader('Content-Encoding');
      responses.push({ url, status: res.statusCode, encoding: typeof encoding === 'string' ? encoding : '', bodyBytes, atMs: performance.now() - started });
    });
    if (!url.startsWith(base)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    req.url = `/${url.slice(base.length)}`;
    files(req, res, () => {
      res.statusCode = 404;
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    bytesSent: () => closedBytes + [...sockets].reduce((sum, s) => sum + s.bytesWritten, 0),
    responses,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * `vite preview` serves the precompressed twins too (its own static handler
 * does not), so what the e2e and the benchmarks fetch is what a host that
 * serves them sends. Registered before Vite's handlers; anything not in the
 * build falls through to them.
 */
export function previewPrecompressed(): Plugin {
  return {
    name: 'inference-lab:preview-precompressed',
    configurePreviewServer(server) {
      const dist = resolve(server.config.root, server.config.build.outDir);
      const base = server.config.base.startsWith('/') ? server.config.base : '/';
      const files = staticFiles(dist, { isolation: true });
      server.middlewares.use((req, res, next) => {
        const original = req.url ?? '';
        if (!original.startsWith(base)) return next();
        req.url = `/${original.slice(base.length)}`;
        files(req, res, () => {
          req.url = original;
          next();
        });
      });
    },
  };
}
