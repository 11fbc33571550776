/**
 * Third-party packages the build takes files from, fetched with their own
 * registries' ordinary clients into a gitignored cache, node_modules/.cache/inference-lab-models/
 * (under node_modules so that lint, tsc and vitest never look inside it):
 *
 * - npm packages that cannot be dependencies (e.g. @upscalerjs/esrgan-slim pins
 *   a peer tfjs ~4.11): `npm pack <name>@<version>` + `tar -x`;
 * - Debian packages that need not be installed (e.g. python3-skimage's sample
 *   images): the installed file when it exists, else `apt-get download` +
 *   `dpkg-deb -x`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const k_cache_dir = 'node_modules/.cache/inference-lab-models';

export interface NpmPackage {
  /** The extracted package folder (npm's `package/`). */
  dir: string;
  /** The tarball's integrity as the registry states it (sha512-…). */
  integrity: string;
  version: string;
}

interface PackInfo {
  filename: string;
  integrity: string;
  version: string;
}

/** Fetches and extracts `name@version` (an exact version) once; later calls use the cache. */
export function npmPackage(name: string, version: string): NpmPackage {
  return cachedNpmPackage(name, version, true) as NpmPackage;
}

/** Like {@link npmPackage}; with `fetch` false, answers undefined instead of fetching what is not cached. */
export function cachedNpmPackage(name: string, version: string, fetch = false): NpmPackage | undefined {
  const dir = join(k_cache_dir, 'npm', `${name.replace('/', '__')}@${version}`);
  const infoPath = join(dir, 'pack.json');
  if (!existsSync(infoPath)) {
    if (!fetch) return undefined;
    mkdirSync(dir, { recursive: true });
    console.log(`fetching ${name}@${version} with npm pack into ${dir}`);
    const out = execFileSync('npm', ['pack', `${name}@${version}`, '--json', '--pack-destination', dir], { encoding: 'utf8' });
    const [info] = JSON.parse(out) as PackInfo[];
    if (info === undefined || info.version !== version) throw new Error(`npm pack ${name}@${version} answered ${out}`);
    execFileSync('tar', ['-xzf', join(dir, info.filename), '-C', dir]);
    writeFileSync(infoPath, `${JSON.stringify({ filename: info.filename, integrity: info.integrity, version: info.version }, null, 2)}\n`);
  }
  const info = JSON.parse(readFileSync(infoPath, 'utf8')) as PackInfo;
  return { dir: join(dir, 'package'), integrity: info.integrity, version: info.version };
}

export interface DebianFiles {
  /** Absolute or cache path of each requested file, in request order. */
  paths: string[];
  /** The package version the files come from. */
  version: string;
  /** `installed` or `downloaded`. */
  from: 'installed' | 'downloaded';
}

/**
 * Files of a Debian package, by their installed paths (e.g.
 * `/usr/lib/python3/dist-packages/skimage/data/astronaut.png`): the installed
 * copies when the package is installed, else the package is downloaded (not
 * installed) with `apt-get download` and unpacked into the cache.
 */
export function debianPackageFiles(pkg: string, files: readonly string[]): DebianFiles {
  return cachedDebianPackageFiles(pkg, files, true) as DebianFiles;
}

/** Like {@link debianPackageFiles}; with `fetch` false, answers undefined instead of downloading. */
export function cachedDebianPackageFiles(pkg: string, files: readonly string[], fetch = false): DebianFiles | undefined {
  const installedVersion = (): string | undefined => {
    try {
      return execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const version = installedVersion();
  if (version !== undefined && files.every((f) => existsSync(f))) return { paths: [...files], version, from: 'installed' };

  const dir = join(k_cache_dir, 'deb', pkg);
  const root = join(dir, 'root');
  let deb = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.deb')) : undefined;
  if (deb === undefined) {
    if (!fetch) return undefined;
    mkdirSync(dir, { recursive: true });
    console.log(`fetching Debian package ${pkg} with apt-get download into ${dir} (run apt-get update first if this fails)`);
    execFileSync('apt-get', ['download', pkg], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
    if (deb === undefined) throw new Error(`apt-get download ${pkg} left no .deb in ${dir}`);
  }
  if (!existsSync(root)) execFileSync('dpkg-deb', ['-x', join(dir, deb), root]);
  const debVersion = execFileSync('dpkg-deb', ['-f', join(dir, deb), 'Version'], { encoding: 'utf8' }).trim();
  const paths = files.map((f) => join(root, f));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`${pkg} ${debVersion} has no ${missing.join(', ')}`);
  return { paths, version: debVersion, from: 'downloaded' };
}
