import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildState } from '../cli/serve';
import type { ResultsDocument } from '../src/lab/results/results';
import { TEST_RULES } from './lab-page';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * A project that adds the lab as a dependency can run it: the packed lab
 * (compiled CLI, prebuilt site, runtime dependencies only) installed into an
 * empty project runs `npx inference-lab run` there. Packs the build that
 * `npm run build` left (CI builds before the e2e), without rebuilding.
 */
test('npm pack → install into an empty project → npx inference-lab run', () => {
  test.setTimeout(240_000);
  expect(buildState(ROOT), 'dist/ must be the build of these sources: run npm run build first').toBe('current');
  expect(existsSync(join(ROOT, 'dist-cli', 'main.js')), 'dist-cli/main.js: run npm run build first').toBe(true);
  const work = mkdtempSync(join(tmpdir(), 'inference-lab-pack-'));
  const timings: Record<string, number> = {};
  const timed = <T>(name: string, fn: () => T): T => {
    const started = performance.now();
    try {
      return fn();
    } finally {
      timings[name] = Math.round(performance.now() - started);
    }
  };
  const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  const tarball = timed('pack', () => npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', work], ROOT).trim().split('\n').at(-1)!);
  const project = join(work, 'consumer');
  execFileSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  // The registry is reachable, but the npm cache keeps this quick (--prefer-offline).
  timed('install', () => npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball)], project));
  const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'inference-lab', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  // Only what the CLI needs at run time: no runtimes, React or build tools.
  expect(Object.keys(installed.dependencies).sort()).toEqual(['playwright-core', 'puppeteer-core', 'selenium-webdriver', 'sirv']);
  expect(existsSync(join(project, 'node_modules', 'vite'))).toBe(false);
  expect(existsSync(join(project, 'node_modules', 'inference-lab', 'src'))).toBe(false);
  writeFileSync(join(project, 'plan.json'), JSON.stringify({ schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'tfjs-cpu' }], batchSizes: [1], rules: TEST_RULES }));
  const run = timed('run', () => spawnSync('npx', ['--no-install', 'inference-lab', 'run', '--plan', 'plan.json', '--out', 'out'], { cwd: project, encoding: 'utf8', timeout: 150_000 }));
  expect(run.status, run.stderr + run.stdout).toBe(0);
  const results = JSON.parse(readFileSync(join(project, 'out', 'results-chromium.json'), 'utf8')) as ResultsDocument;
  expect(results.cells.map((c) => c.state)).toEqual(['completed']);
  test.info().annotations.push({ type: 'timings (ms)', description: JSON.stringify(timings) });
  console.log(`npm pack ${timings.pack} ms, install ${timings.install} ms, npx inference-lab run ${timings.run} ms`);
});
