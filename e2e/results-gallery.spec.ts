import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import type { ResultsDocument } from '../src/lab/results/results';
import { recordRequests } from './origin-guard';

const BIN = resolve(import.meta.dirname, '../bin/inference-lab.js');
const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../src/lab/results/fixtures/results-chromium.json'), 'utf8')) as ResultsDocument;

test('the gallery builds from a folder of results files and opens from disk, filterable, with no request to another origin', async ({ page }) => {
  const folder = mkdtempSync(join(tmpdir(), 'inference-lab-gallery-in-'));
  const phone: ResultsDocument = {
    ...fixture,
    createdAt: '2026-12-05T12:00:00.000Z',
    device: {
      ...fixture.device,
      probedAt: '2026-12-05T12:00:00.000Z',
      browser: { name: 'Firefox', version: '153.0', platform: 'Android', userAgent: 'Mozilla/5.0 (Android 15; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0' },
    },
  };
  writeFileSync(join(folder, 'results-chromium.json'), JSON.stringify(fixture));
  writeFileSync(join(folder, 'results-firefox-phone.json'), JSON.stringify(phone));
  mkdirSync(join(folder, 'not-results'));
  const site = mkdtempSync(join(tmpdir(), 'inference-lab-site-'));
  const built = spawnSync(process.execPath, [BIN, 'gallery', folder, '--out', site], { encoding: 'utf8', timeout: 60_000 });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  expect(built.stdout).toContain('Gallery of 2 run(s)');

  const requests = recordRequests(page);
  const index = pathToFileURL(join(site, 'index.html')).href;
  await page.goto(index);
  const rows = page.locator('#cells tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(page.locator('#shown')).toHaveText('4');
  await expect(page.locator('figure[data-chart] g[data-row]')).toHaveCount(2);

  await page.locator('select[data-filter="device-class"]').selectOption('phone');
  await expect(page.locator('#shown')).toHaveText('2');
  await expect(rows.filter({ visible: true })).toHaveCount(2);
  await expect(rows.filter({ visible: true }).first()).toContainText('Firefox 153');
  await expect(page.locator('figure[data-chart] g[data-row]:not([display])')).toHaveCount(1);
  await page.locator('select[data-filter="engine"]').selectOption('ORT WebNN');
  await expect(page.locator('#shown')).toHaveText('1');
  await expect(page.locator('figure[data-chart]')).toBeHidden();

  expect(requests.foreign(pathToFileURL(site).href)).toEqual([]);

  // A file that is not a results document stops the build, naming it (exit 2).
  writeFileSync(join(folder, 'broken.json'), JSON.stringify({ ...fixture, schemaVersion: 99 }));
  const refused = spawnSync(process.execPath, [BIN, 'gallery', folder, '--out', site], { encoding: 'utf8', timeout: 60_000 });
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain(`${join(folder, 'broken.json')}: Invalid results file: schemaVersion 99 was written by a newer Inference Lab`);
});

test('the CLI states the recommendation in the report, and a budget fails the build when it differs from the baseline\'s', () => {
  const folder = mkdtempSync(join(tmpdir(), 'inference-lab-recommend-'));
  // The baseline's only timed engine was unavailable then: nothing qualified, so the recommendation changed.
  const baseline = { ...fixture, cells: fixture.cells.map((c) => (c.engine === 'ort-wasm' ? { ...c, state: 'unavailable', reason: 'not offered then' } : c)) };
  const budget = { schemaVersion: 1, recommendation: { objective: { kind: 'latency', maxMs: 50, batchSize: 1 }, pricePerHour: { cpu: 0.1, gpu: 1 } } };
  writeFileSync(join(folder, 'results.json'), JSON.stringify(fixture));
  writeFileSync(join(folder, 'baseline.json'), JSON.stringify(baseline));
  writeFileSync(join(folder, 'budget.json'), JSON.stringify(budget));
  const out = join(folder, 'out');
  const run = spawnSync(process.execPath, [BIN, 'compare', '--results', join(folder, 'results.json'), '--baseline', join(folder, 'baseline.json'), '--budget', join(folder, 'budget.json'), '--out', out], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/FAIL run recommendation: the recommendation changed: the baseline's was nothing qualifies, this run's is ORT wasm · batch 1\. ORT wasm · batch 1 on CPU: \$\S+ per 1M predictions/);
  const report = readFileSync(join(out, 'report.html'), 'utf8');
  expect(report).toContain('<h3>Recommendation</h3>');
  expect(report).toContain('<td class="v-unavailable">unavailable here</td>');
});
