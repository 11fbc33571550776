import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The installed version of a driver package, for the record of what drove the browser. */
export function packageVersion(name: string): string {
  try {
    // Resolve the package's entry, then walk to its package.json (exports maps may hide the file itself).
    const entry = require.resolve(name);
    const root = entry.slice(0, entry.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}/`.length);
    return (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown version';
  }
}
