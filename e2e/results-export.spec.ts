import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { decodePng } from '../scripts/models/png';
import { parseResultsCsv, resultsCsvRows } from '../src/lab/export/results-csv';
import { parseResultsDocument } from '../src/lab/results/results-file';
import { encodePlan } from '../src/lab/runner/plan';
import { TEST_RULES } from './lab-page';

async function download(page: Page, testId: string, within = page.locator('body')): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), within.getByTestId(testId).first().click()]);
  return { file, bytes: readFileSync((await file.path())) };
}

test('CSV export parses back to the figures of the JSON export; a chart exports as a valid PNG and SVG of itself', async ({ page }) => {
  const plan = { schemaVersion: 1 as const, modelId: 'cps-wage', cells: [{ engine: 'tfjs-cpu' as const }, { engine: 'ort-wasm' as const }], batchSizes: [1], rules: TEST_RULES };
  await page.goto(`./?plan=${encodePlan(plan)}&autorun=1`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  const json = await download(page, 'download-json');
  expect(json.file.suggestedFilename()).toMatch(/^inference-lab-cps-wage-.+\.json$/);
  const doc = parseResultsDocument(JSON.parse(json.bytes.toString('utf8')));
  expect(doc.recommendation?.needs.objective).toMatchObject({ kind: 'latency', batchSize: 1 });

  const csv = await download(page, 'download-csv');
  const rows = parseResultsCsv(csv.bytes.toString('utf8'));
  expect(rows).toEqual(resultsCsvRows([doc]));
  const p50 = rows.filter((r) => r.metric === 'p50');
  expect(p50).toHaveLength(2);
  for (const row of p50) {
    const cell = doc.cells.find((c) => c.cellId === row.cell_id);
    expect(cell?.state === 'completed' && cell.batches[0]!.stats.p50).toBe(row.value);
  }

  const chart = page.getByTestId('latency-chart-1');
  const width = Math.ceil((await chart.boundingBox())!.width);
  const png = await download(page, 'chart-png', chart);
  expect(png.file.suggestedFilename()).toMatch(/^inference-lab-cps-wage-latency-b1-.+\.png$/);
  const image = decodePng(new Uint8Array(png.bytes));
  expect(image.width).toBe(width * 2);
  // The P50 bars are drawn in the chart's first colour (#2458c6): the image holds them, not a blank.
  let bar = 0;
  for (let i = 0; i < image.pixels.length; i += 3) if (image.pixels[i] === 0x24 && image.pixels[i + 1] === 0x58 && image.pixels[i + 2] === 0xc6) bar += 1;
  expect(bar).toBeGreaterThan(500);

  const svg = (await download(page, 'chart-svg', chart)).bytes.toString('utf8');
  expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('<title>Warm latency per batch of 1 (ms, log scale; lower is better)</title>');
  // The legend, HTML in the page, is in the file as text.
  expect(svg).toMatch(/>P95<\/text>/);
  expect(svg).not.toContain('>PNG<');
});
