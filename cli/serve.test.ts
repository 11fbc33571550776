import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k_build_stamp_file, sourceStamp } from './build-stamp';
import { buildState, networkAddress, publicLabUrl } from './serve';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'inference-lab-stamp-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('buildState', () => {
  it('serves a build only when its stamp matches the sources beside it', () => {
    const root = tree({ 'src/main.ts': 'a', 'index.html': '<p>', 'public/ort/x.wasm': 'derived' });
    expect(buildState(root)).toBe('missing');
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist/index.html'), '<p>');
    expect(buildState(root)).toBe('unstamped');
    writeFileSync(join(root, 'dist', k_build_stamp_file), JSON.stringify({ sources: sourceStamp(root) }));
    expect(buildState(root)).toBe('current');
    // Files copied from node_modules into public/ort are not sources (package-lock.json covers them).
    writeFileSync(join(root, 'public/ort/x.wasm'), 'changed');
    expect(buildState(root)).toBe('current');
    writeFileSync(join(root, 'src/main.ts'), 'b');
    expect(buildState(root)).toBe('stale');
  });

  it('trusts an installed package (no sources) only when it ships its build', () => {
    expect(buildState(tree({ 'dist/index.html': '<p>' }))).toBe('installed');
    expect(buildState(tree({ 'bin/x.js': '' }))).toBe('installed-missing');
  });
});

describe('publicLabUrl', () => {
  it('appends the sub-path to a bare origin and keeps a URL with its own path', () => {
    expect(publicLabUrl('https://abc.example')).toBe('https://abc.example/inference-lab/');
    expect(publicLabUrl('https://abc.example/lab')).toBe('https://abc.example/lab/');
  });
});

describe('networkAddress', () => {
  it("gives a browser elsewhere this machine's first non-loopback IPv4 address, or null", () => {
    const lo = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' };
    const v6 = { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6' as const, mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 };
    const eth = { address: '10.0.0.7', netmask: '255.255.255.0', family: 'IPv4' as const, mac: '02:00:00:00:00:01', internal: false, cidr: '10.0.0.7/24' };
    expect(networkAddress({ lo: [lo], eth0: [v6, eth] })).toBe('10.0.0.7');
    expect(networkAddress({ lo: [lo] })).toBeNull();
  });
});
