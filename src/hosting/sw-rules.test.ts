import { describe, expect, it } from 'vitest';
import { cacheKeyFor, cacheName, isCacheable, isToServiceWorker, staleCaches, withIsolationHeaders } from './sw-rules';

const SCOPE = 'https://learner.github.io/inference-lab/';
const get = (url: string, mode = 'cors') => ({ url, method: 'GET', mode, hasRange: false });

describe('cacheKeyFor', () => {
  it('gives every navigation to the app page one key, whatever its query, so shared links open offline', () => {
    expect(cacheKeyFor(get(`${SCOPE}?present=1`, 'navigate'), SCOPE)).toBe(SCOPE);
    expect(cacheKeyFor(get(`${SCOPE}index.html?plan=abc#x`, 'navigate'), SCOPE)).toBe(SCOPE);
    expect(cacheKeyFor(get(SCOPE, 'navigate'), SCOPE)).toBe(SCOPE);
  });

  it('keys files in the scope by their URL without the fragment', () => {
    expect(cacheKeyFor(get(`${SCOPE}ort/ort-wasm-simd-threaded.wasm#frag`), SCOPE)).toBe(`${SCOPE}ort/ort-wasm-simd-threaded.wasm`);
    expect(cacheKeyFor(get(`${SCOPE}models/cps-wage/manifest.json?v=2`), SCOPE)).toBe(`${SCOPE}models/cps-wage/manifest.json?v=2`);
  });

  it('leaves to the browser what it must not answer: other origins, outside the scope, non-GET, ranges, other pages, its own script', () => {
    expect(cacheKeyFor(get('https://cdn.example.org/ort.wasm'), SCOPE)).toBeNull();
    expect(cacheKeyFor(get('https://learner.github.io/other-app/x.js'), SCOPE)).toBeNull();
    expect(cacheKeyFor({ ...get(`${SCOPE}x.js`), method: 'POST' }, SCOPE)).toBeNull();
    expect(cacheKeyFor({ ...get(`${SCOPE}x.wasm`), hasRange: true }, SCOPE)).toBeNull();
    expect(cacheKeyFor(get(`${SCOPE}docs/page.html`, 'navigate'), SCOPE)).toBeNull();
    expect(cacheKeyFor(get(`${SCOPE}sw.js`), SCOPE)).toBeNull();
  });
});

describe('caches', () => {
  it('names a cache per build and deletes only this app\'s older ones', () => {
    expect(cacheName('abc')).toBe('inference-lab-abc');
    expect(staleCaches(['inference-lab-abc', 'inference-lab-old', 'someone-else'], 'abc')).toEqual(['inference-lab-old']);
  });

  it('stores only complete same-origin successes', () => {
    expect(isCacheable({ status: 200, type: 'basic' })).toBe(true);
    expect(isCacheable({ status: 206, type: 'basic' })).toBe(false);
    expect(isCacheable({ status: 404, type: 'basic' })).toBe(false);
    expect(isCacheable({ status: 0, type: 'opaque' })).toBe(false);
  });
});

describe('withIsolationHeaders', () => {
  it('adds COOP, COEP and CORP, keeps the body, status and content type, and drops the wire encoding and length', async () => {
    const original = new Response('hello', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'text/plain', 'Content-Encoding': 'br', 'Content-Length': '9' } });
    const isolated = withIsolationHeaders(original);
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isolated.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Content-Type')).toBe('text/plain');
    expect(isolated.headers.has('Content-Encoding')).toBe(false);
    expect(isolated.headers.has('Content-Length')).toBe(false);
    expect(isolated.status).toBe(200);
    expect(await isolated.text()).toBe('hello');
  });

  it('keeps a 404 a 404', () => {
    expect(withIsolationHeaders(new Response('missing', { status: 404 })).status).toBe(404);
  });
});

describe('isToServiceWorker', () => {
  it('accepts the two messages and nothing else', () => {
    expect(isToServiceWorker({ type: 'cache-urls', urls: ['a', 'b'] })).toBe(true);
    expect(isToServiceWorker({ type: 'skip-waiting' })).toBe(true);
    expect(isToServiceWorker({ type: 'cache-urls', urls: [1] })).toBe(false);
    expect(isToServiceWorker({ type: 'other' })).toBe(false);
    expect(isToServiceWorker(null)).toBe(false);
  });
});
