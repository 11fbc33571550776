import { describe, expect, it } from 'vitest';
import { admitRuns, compareRuns } from './compare-runs';
import { makeResults, unavailableCell } from './fixtures/make-results';
import { k_results_schema_version } from './results';

const rounds = (ms: number) => [0.9, 1.1, 1, 1.05].map((d) => [0.98, 1, 1.02, 0.99, 1.01].map((j) => ms * d * j));
const laptop = makeResults([
  { engine: 'ort-wasm', rounds: { 1: rounds(1), 16: rounds(4) } },
  { engine: 'tfjs-cpu', rounds: { 1: rounds(3), 16: rounds(20) } },
]);
const phone = makeResults([{ engine: 'ort-wasm', rounds: { 1: rounds(3), 16: rounds(4.1) } }, unavailableCell('tfjs-cpu', 1, 'no such backend here')], {
  createdAt: '2026-12-04T10:00:00.000Z',
  device: (d) => ({ ...d, probedAt: '2026-12-04T10:00:00.000Z', browser: { ...d.browser, name: 'Firefox', version: '153.0.1' }, hardwareConcurrency: 8 }),
});
const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe('admitRuns', () => {
  it('admits files of the same model file, from one document, an array or a merged { runs } file', () => {
    const { admitted, refused } = admitRuns(laptop, [
      { name: 'phone.json', json: json(phone) },
      { name: 'merged.json', json: json({ runs: [{ ...phone, createdAt: '2026-12-05T00:00:00.000Z', device: { ...phone.device, probedAt: 'x' } }] }) },
    ]);
    expect(refused).toEqual([]);
    expect(admitted.map((a) => a.name)).toEqual(['phone.json', 'merged.json']);
  });

  it('refuses another version of the model, another model, a newer schema, a broken claim and a duplicate, each with its reason', () => {
    const otherVersion = { ...phone, model: { ...phone.model, onnxSha256: 'ffff0000aaaa1111' } };
    const otherModel = { ...phone, model: { ...phone.model, id: 'fashion-mnist-cnn' } };
    const newer = { ...phone, schemaVersion: k_results_schema_version + 1 };
    const broken = json(phone) as { cells: { batches: { stats: { p50: number } }[] }[] };
    broken.cells[0]!.batches[0]!.stats.p50 = 0.001;
    const { admitted, refused } = admitRuns(laptop, [
      { name: 'v2.json', json: json(otherVersion) },
      { name: 'cnn.json', json: json(otherModel) },
      { name: 'newer.json', json: json(newer) },
      { name: 'broken.json', json: broken },
      { name: 'again.json', json: json(laptop) },
      { name: 'notes.txt', json: 'hello' },
    ]);
    expect(admitted).toEqual([]);
    expect(refused.map((r) => r.name)).toEqual(['v2.json', 'cnn.json', 'newer.json', 'broken.json', 'again.json', 'notes.txt']);
    expect(refused[0]!.reason).toBe(
      'a different version of cps-wage (SHA-256 ffff0000aaaa…; the runs shown measured SHA-256 88c7dc7d180e…): its timings describe other work, so it is not compared',
    );
    expect(refused[1]!.reason).toBe('another model (fashion-mnist-cnn; the runs shown measured cps-wage)');
    expect(refused[2]!.reason).toContain(`was written by a newer Inference Lab; this one reads schema ${k_results_schema_version}`);
    expect(refused[3]!.reason).toMatch(/cell 0:ort-wasm:fp32 is marked completed but batch 1: p50 0\.001 does not follow from the samples/);
    expect(refused[4]!.reason).toBe('the same run is already shown');
    expect(refused[5]!.reason).toMatch(/^Invalid results file/);
  });

  it('takes the first admitted file as the reference when the page has no run', () => {
    const { admitted, refused } = admitRuns(null, [
      { name: 'a.json', json: json(phone) },
      { name: 'b.json', json: json({ ...laptop, model: { ...laptop.model, onnxSha256: 'abc' } }) },
    ]);
    expect(admitted.map((a) => a.name)).toEqual(['a.json']);
    expect(refused[0]!.reason).toMatch(/^a different version of cps-wage/);
  });
});

describe('compareRuns', () => {
  it('matches cells by engine, variant and batch; gives each run its ratio to the reference with an unpaired interval', () => {
    const c = compareRuns([laptop, phone]);
    expect(c.runLabels).toEqual(['Chromium 156 · Linux · 2 cores', 'Firefox 153 · Linux · 8 cores']);
    expect(c.rows.map((r) => r.label)).toEqual(['ORT wasm · batch 1', 'TF.js CPU · batch 1', 'ORT wasm · batch 16', 'TF.js CPU · batch 16']);
    const [wasm1, cpu1, wasm16] = c.rows;
    expect(wasm1!.byRun[0]?.vsReference).toBeUndefined();
    const slower = wasm1!.byRun[1]!.vsReference!;
    expect(slower).toMatchObject({ method: 'bootstrap-medians', verdict: 'slower' });
    expect(slower.ratio).toBeCloseTo(3, 1);
    expect(slower.low).toBeGreaterThan(2.5);
    expect(wasm16!.byRun[1]!.vsReference!.verdict).toBe('indistinguishable');
    expect(cpu1!.byRun[1]).toEqual({ state: 'unavailable', message: 'no such backend here' });
    // Ratios to the second run instead.
    expect(compareRuns([laptop, phone], 1).rows[0]!.byRun[0]!.vsReference!.verdict).toBe('faster');
  });

  it('tells two runs of one device apart by their time', () => {
    const again = { ...laptop, createdAt: '2026-12-09T08:30:00.000Z' };
    expect(compareRuns([laptop, again]).runLabels).toEqual(['Chromium 156 · Linux · 2 cores · 2026-12-02 05:57', 'Chromium 156 · Linux · 2 cores · 2026-12-09 08:30']);
  });
});
