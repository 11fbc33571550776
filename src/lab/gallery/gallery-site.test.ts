import { describe, expect, it } from 'vitest';
import { makeResults, unavailableCell } from '../results/fixtures/make-results';
import { parseResultsDocument } from '../results/results-file';
import { galleryData } from './gallery-rows';
import { gallerySite } from './gallery-site';

const rounds = (ms: number) => [[ms, ms * 1.1], [ms * 0.9, ms]];
const laptop = makeResults([{ engine: 'ort-wasm', rounds: { 1: rounds(1), 16: rounds(4) } }, unavailableCell('ort-webnn', 1, 'no <WebNN> here')]);
const phone = makeResults([{ engine: 'ort-wasm', precision: 'int8', rounds: { 1: rounds(3) } }], {
  createdAt: '2026-12-04T10:00:00.000Z',
  device: (d) => ({
    ...d,
    probedAt: '2026-12-04T10:00:00.000Z',
    browser: { ...d.browser, name: 'Safari', version: '18.1', platform: 'iOS', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148' },
    hardwareConcurrency: 6,
  }),
});
const files = [
  { file: 'results/laptop.json', doc: laptop },
  { file: 'results/phone.json', doc: phone },
];

describe('galleryData', () => {
  it('has a row per run × cell × batch, with the dimensions readers filter by', () => {
    const data = galleryData(files);
    expect(data.runs.map((r) => [r.device, r.deviceClass, r.browser])).toEqual([
      ['Chromium 156 · Linux · 2 cores', 'computer', 'Chromium'],
      ['Safari 18 · iOS · 6 cores', 'phone', 'Safari'],
    ]);
    expect(data.rows.map((r) => [r.run, r.cell, r.batchSize, r.state])).toEqual([
      [0, 'ORT wasm', 1, 'completed'],
      [0, 'ORT wasm', 16, 'completed'],
      [0, 'ORT WebNN', null, 'unavailable'],
      [1, 'ORT wasm INT8', 1, 'completed'],
    ]);
    expect(data.rows[2]).toMatchObject({ p50: null, note: 'no <WebNN> here' });
  });
});

describe('gallerySite', () => {
  const site = gallerySite(files, '2026-12-07T00:00:00.000Z');
  const html = site[0]!.content;

  it('is one self-contained page that may load nothing, beside copies of the results files', () => {
    expect(site.map((f) => f.path)).toEqual(['index.html', 'data/laptop.json', 'data/phone.json']);
    expect(parseResultsDocument(JSON.parse(site[1]!.content))).toEqual(laptop);
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
    // No URL to any host: the only absolute URL is the SVG namespace, which is a name, not a request.
    expect(html.match(/(https?:)?\/\/[^\s"'<>]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=/);
  });

  it('offers a filter per dimension, with the values present, and tags every row and chart bar with them', () => {
    expect(html).toContain('<select data-filter="browser"><option value="">all</option><option value="Chromium">Chromium</option><option value="Safari">Safari</option></select>');
    expect(html).toContain('<select data-filter="device-class"><option value="">all</option><option value="computer">computer</option><option value="phone">phone</option></select>');
    expect(html).toContain('<select data-filter="batch"><option value="">all</option><option value="1">1</option><option value="16">16</option></select>');
    expect(html.match(/<tr data-row /g)).toHaveLength(4);
    expect(html.match(/<g data-row /g)).toHaveLength(3);
    expect(html).toContain('data-model="cps-wage (88c7dc7d180e)" data-device-class="phone" data-browser="Safari" data-engine="ORT wasm" data-variant="int8" data-batch="1"');
    expect(html).toContain('no &lt;WebNN&gt; here');
    expect(html).toContain('<a href="data/phone.json">results/phone.json</a>');
  });
});
