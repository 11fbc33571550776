import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticHost } from './static-host';
import { serveStatic } from './static-host';
import { brotliQuality } from './precompress';

const dir = mkdtempSync(join(tmpdir(), 'static-host-'));
const wasm = Buffer.alloc(64 * 1024, 7);
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>lab</title>');
writeFileSync(join(dir, 'x.wasm'), wasm);
writeFileSync(join(dir, 'x.wasm.br'), brotliCompressSync(wasm));
writeFileSync(join(dir, 'x.wasm.gz'), gzipSync(wasm));

describe('serveStatic', () => {
  let plain: StaticHost;
  let isolated: StaticHost;
  beforeAll(async () => {
    plain = await serveStatic(dir, '/lab/', { isolation: false });
    isolated = await serveStatic(dir, '/lab/', { isolation: true });
  });
  afterAll(async () => {
    await plain.close();
    await isolated.close();
  });

  it('serves the brotli twin to a browser that accepts it, gzip to one that accepts only gzip, the file itself otherwise', async () => {
    const br = await fetch(`${plain.url}x.wasm`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(Buffer.from(await br.arrayBuffer()).equals(wasm)).toBe(true);
    const gz = await fetch(`${plain.url}x.wasm`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const identity = await fetch(`${plain.url}x.wasm`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(Number(identity.headers.get('content-length'))).toBe(wasm.length);
    expect(identity.headers.get('content-type')).toBe('application/wasm');
  });

  it('sends the isolation headers only when asked, and the page at the base path', async () => {
    const withHeaders = await fetch(isolated.url);
    expect(withHeaders.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await withHeaders.text()).toContain('<title>lab</title>');
    const without = await fetch(plain.url);
    expect(without.status).toBe(200);
    expect(without.headers.get('cross-origin-embedder-policy')).toBeNull();
    expect(without.headers.get('cross-origin-opener-policy')).toBeNull();
    expect((await fetch(`${plain.url.replace('/lab/', '/elsewhere/')}x.wasm`)).status).toBe(404);
  });

  it('asks for revalidation every time by default, and lets files be cached for max-age seconds when told (as GitHub Pages does)', async () => {
    expect((await fetch(`${plain.url}x.wasm`)).headers.get('cache-control')).toMatch(/max-age=0\b/);
    const pages = await serveStatic(dir, '/lab/', { isolation: false, maxAgeSeconds: 600 });
    try {
      expect((await fetch(`${pages.url}x.wasm`)).headers.get('cache-control')).toMatch(/max-age=600\b/);
    } finally {
      await pages.close();
    }
  });

  it('counts what it sent: compressed bodies as sent, and every response', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = plain.bytesSent();
    await (await fetch(`${plain.url}x.wasm?counted`, { headers: { 'Accept-Encoding': 'br' } })).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const counted = plain.responses.filter((r) => r.url === '/lab/x.wasm?counted');
    expect(counted).toHaveLength(1);
    const last = counted[0];
    expect(last?.encoding).toBe('br');
    expect(last?.bodyBytes).toBe(brotliCompressSync(wasm).length);
    expect(plain.bytesSent() - before).toBeGreaterThan(last?.bodyBytes ?? 0);
  });
});

describe('brotliQuality', () => {
  it('is the best for small files and falls with size unless the maximum is asked for', () => {
    expect(brotliQuality(100_000, false)).toBe(11);
    expect(brotliQuality(2_000_000, false)).toBe(9);
    expect(brotliQuality(14_000_000, false)).toBe(8);
    expect(brotliQuality(14_000_000, true)).toBe(11);
  });
});
