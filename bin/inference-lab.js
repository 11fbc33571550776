#!/usr/bin/env node
// The installed package runs the compiled CLI (dist-cli/, built by `npm run build` and before `npm pack`).
// A checkout runs its TypeScript sources through tsx (a devDependency), so it never runs a stale compiled copy.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist-cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
