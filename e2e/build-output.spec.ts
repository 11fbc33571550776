import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { RUNTIME_FILES } from '../vite-plugins/runtime-assets';

const DIST = resolve(import.meta.dirname, '../dist');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [relative(DIST, full)];
  });
}

test('the build holds exactly one copy of each runtime wasm, at the path the engines fetch', () => {
  const all = files(DIST);
  const wasm = all.filter((f) => f.endsWith('.wasm')).sort();
  const expected = Object.entries(RUNTIME_FILES)
    .flatMap(([folder, names]) => names.filter((n) => n.endsWith('.wasm')).map((n) => join(folder, n)))
    .sort();
  expect(wasm).toEqual(expected);
  // The wasm list above already rules out a hashed duplicate of a 14–28 MB binary; the ORT glue it loads stays single too.
  expect(all.filter((f) => /ort-wasm-simd-threaded.*\.mjs$/.test(f)).sort()).toEqual(
    RUNTIME_FILES.ort!.filter((n) => n.endsWith('.mjs')).map((n) => join('ort', n)).sort(),
  );
  // Relative asset URLs: the same build works under any sub-path.
  expect(all).toContain('index.html');
});
