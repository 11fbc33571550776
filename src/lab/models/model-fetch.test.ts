import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchManifest, fetchModelFile } from './model-fetch';

afterEach(() => vi.unstubAllGlobals());

describe('fetchManifest', () => {
  it('names an unknown model when the server answers with its index.html fallback', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('<!doctype html><html></html>', { headers: { 'content-type': 'text/html; charset=utf-8' } })));
    await expect(fetchManifest('http://127.0.0.1:1/lab/', 'no-such-model')).rejects.toThrow(
      'No model "no-such-model" in this lab\'s zoo: http://127.0.0.1:1/lab/models/no-such-model/manifest.json is not there (the server answered with a web page)',
    );
  });

  it('names the URL and status of a missing manifest', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('nope', { status: 404, statusText: 'Not Found' })));
    await expect(fetchManifest('http://127.0.0.1:1/lab/', 'gone')).rejects.toThrow(
      'Model "gone" has no readable manifest at http://127.0.0.1:1/lab/models/gone/manifest.json: Fetching http://127.0.0.1:1/lab/models/gone/manifest.json failed: HTTP 404 Not Found',
    );
  });
});

describe('fetchModelFile', () => {
  it('reads a page fallback as a missing file (a model without a fidelity reference is then skipped, not failed)', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('<!doctype html><html></html>', { headers: { 'content-type': 'text/html' } })));
    await expect(fetchModelFile('http://127.0.0.1:1/lab/', 'esrgan', 'fidelity.json')).rejects.toThrow(
      'Model "esrgan" has no fidelity.json (http://127.0.0.1:1/lab/models/esrgan/fidelity.json answered with the app\'s web page)',
    );
  });

  it('returns the bytes of a file that is there', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(Uint8Array.of(7, 8), { headers: { 'content-type': 'application/octet-stream' } })));
    expect(new Uint8Array(await fetchModelFile('http://127.0.0.1:1/lab/', 'm', 'x.bin'))).toEqual(Uint8Array.of(7, 8));
  });
});

describe('localModel', () => {
  it('reads the files a page holds, TF.js weights relative to model.json', async () => {
    const { localModel, resolveRelative } = await import('./model-fetch');
    expect(resolveRelative('tfjs/model.json', 'group1-shard1of1.bin')).toBe('tfjs/group1-shard1of1.bin');
    expect(resolveRelative('a/b/model.json', '../c.bin')).toBe('a/c.bin');
    const folder = localModel('user-abc', { files: { 'x.bin': new Blob([Uint8Array.of(1, 2, 3)]) } });
    expect(new Uint8Array(await folder.file('x.bin'))).toEqual(Uint8Array.of(1, 2, 3));
    await expect(folder.file('missing.bin')).rejects.toThrow('Model "user-abc" holds no file "missing.bin" in this page');
  });
});
