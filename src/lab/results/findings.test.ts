import { describe, expect, it } from 'vitest';
import { buildFindings, formatRatio, listNames, needsSoftwareGpuMark } from './findings';
import { cellSentence } from './cell-sentences';
import { fidelityReport, sliceMetrics, testResults } from './test-results';

const price = { priceOf: () => 0.5 };

describe('speed findings', () => {
  it('names the fastest and by how much against the next, with the interval, only when they are distinguishable', () => {
    const results = testResults([
      { engine: 'ort-wasm', rounds: { 1: [1.0, 1.1, 0.9, 1.0] } },
      { engine: 'tfjs-cpu', rounds: { 1: [2.0, 2.2, 1.8, 2.0] } },
      { engine: 'tfjs-webgl', rounds: { 1: [40, 44, 36, 40] } },
    ]);
    const speed = buildFindings(results, price).find((f) => f.id === 'speed-b1');
    expect(speed?.text).toBe(
      'At batch 1, ORT wasm is the fastest: 2.00× faster than the next, TF.js CPU (95% interval 2.00–2.00×). The slowest, TF.js WebGL (software GPU — not a GPU speed), takes 40.0× as long (95% interval 40.0–40.0×).',
    );
    expect(speed?.softwareGpu).toBe(true);
    expect(speed?.cellIds).toEqual(['0:ort-wasm:fp32', '1:tfjs-cpu:fp32', '2:tfjs-webgl:fp32']);
    // The words already carry the mark: no second one beside them. The software-GPU caveat says it in words only, so it gets the mark.
    expect(needsSoftwareGpuMark(speed!)).toBe(false);
    const caveat = buildFindings(results, price).find((f) => f.id === 'software-gpu');
    expect(caveat?.softwareGpu).toBe(true);
    expect(needsSoftwareGpuMark(caveat!)).toBe(true);
  });

  it('never names one cell "the next" or "the slowest" when that rank holds several it cannot tell apart', () => {
    const slow = { 'tfjs-wasm': [40, 60, 30, 45], 'tfjs-webgl': [50, 35, 55, 40] };
    const four = testResults([
      { engine: 'ort-wasm', rounds: { 1: [1.0, 1.1, 0.9, 1.0] } },
      { engine: 'tfjs-cpu', rounds: { 1: [2.0, 2.2, 1.8, 2.0] } },
      { engine: 'tfjs-wasm', rounds: { 1: slow['tfjs-wasm'] } },
      { engine: 'tfjs-webgl', rounds: { 1: slow['tfjs-webgl'] } },
    ]);
    const text = buildFindings(four, price).find((f) => f.id === 'speed-b1')?.text ?? '';
    expect(text).toMatch(/^At batch 1, ORT wasm is the fastest: 2\.00× faster than the next, TF\.js CPU \(95% interval [\d.]+–[\d.]+×\)\. The slowest 2 cannot be ranked among themselves on this evidence: /);
    expect(text).toMatch(/TF\.js wasm takes [\d.]+× as long \(95% interval [\d.]+–[\d.]+×\)/);
    expect(text).toMatch(/TF\.js WebGL \(software GPU — not a GPU speed\) takes [\d.]+× as long/);
    expect(text).not.toContain('The slowest,');

    // The tie right after the fastest: both named as "the next", neither ahead of the other, and no separate "slowest".
    const three = testResults([
      { engine: 'ort-wasm', rounds: { 1: [1.0, 1.1, 0.9, 1.0] } },
      { engine: 'tfjs-wasm', rounds: { 1: slow['tfjs-wasm'] } },
      { engine: 'tfjs-webgl', rounds: { 1: slow['tfjs-webgl'] } },
    ]);
    const tied = buildFindings(three, price).find((f) => f.id === 'speed-b1')?.text ?? '';
    expect(tied).toMatch(/^At batch 1, ORT wasm is the fastest: the next 2 cannot be ranked among themselves on this evidence: /);
    expect(tied).not.toMatch(/faster than the next|The slowest/);
  });

  it('says "cannot be told apart" when the interval holds 1, and never ranks them', () => {
    const results = testResults([
      { engine: 'ort-wasm', rounds: { 16: [1.0, 1.2, 0.9, 1.1] } },
      { engine: 'tfjs-wasm', rounds: { 16: [1.1, 1.0, 1.0, 1.05] } },
      { engine: 'tfjs-cpu', rounds: { 16: [3, 3.1, 2.9, 3] } },
    ]);
    const text = buildFindings(results, price).find((f) => f.id === 'speed-b16')?.text ?? '';
    expect(text).toBe(
      'At batch 16, TF.js wasm and ORT wasm are the fastest and cannot be told apart (ratio 1.01×, 95% interval 0.81–1.25×, which holds 1). The next, TF.js CPU, takes 2.89× as long as TF.js wasm (95% interval 2.66–3.15×).',
    );
    expect(text).not.toContain('is the fastest');
  });

  it('has nothing to compare with one completed cell, and no speed finding without any', () => {
    expect(buildFindings(testResults([{ engine: 'ort-wasm' }]), price)[0]?.text).toBe('At batch 1, only ORT wasm completed: there is nothing to compare it with.');
    expect(buildFindings(testResults([{ engine: 'ort-webnn', state: 'unavailable' }]), price).map((f) => f.id)).toEqual(['unavailable']);
  });
});

describe('cost finding', () => {
  it('prices 1M predictions at the highest throughput measured, and marks a software GPU', () => {
    const results = testResults([
      { engine: 'ort-wasm', rounds: { 1: [1, 1, 1], 16: [4, 4, 4] } },
      { engine: 'tfjs-webgpu', rounds: { 1: [0.5, 0.5, 0.5] } },
    ]);
    const cost = buildFindings(results, price).find((f) => f.kind === 'cost');
    // ORT wasm at batch 16: 4000 rows/s; 0.5 $/h → 1e6 / 4000 s = 250 s → $0.035.
    expect(cost?.text).toBe(
      'At $0.50 per hour of its hardware, ORT wasm at batch 16 serves 1M predictions for $0.035: the most rows per second measured (4.00 k rows/s at the median, one batch after another).',
    );
    expect(cost?.softwareGpu).toBe(false);
  });
});

describe('drift finding', () => {
  it('names the configuration that moved most predictions and the slice it moved most, with intervals and the gap', () => {
    const int8 = fidelityReport(
      0.0098,
      5000,
      [sliceMetrics('region=south', 1550, 0.0129, [0.0077, 0.0187]), sliceMetrics('region=west', 1200, 0.007, [0.0033, 0.0117]), sliceMetrics('region=tiny', 12, 0.5)],
      { highest: 'region=south', lowest: 'region=west', low: 0.0012, high: 0.0128 },
    );
    const results = testResults([
      { engine: 'ort-wasm', rounds: { 1: [1, 1, 1] }, fidelity: fidelityReport(0, 5000, [sliceMetrics('region=south', 1550, 0)]) },
      { engine: 'ort-wasm', precision: 'int8', rounds: { 1: [0.8, 0.8, 0.8] }, fidelity: int8 },
    ]);
    const drift = buildFindings(results, price).find((f) => f.kind === 'drift');
    expect(drift?.text).toBe(
      'ORT wasm INT8 moved the most predictions: it changed 0.98% of the 5000 evaluation rows against the FP32 reference (95% interval 0.78–1.23%). ' +
        'Most for region=south: 1.29% of its 1550 rows (95% interval 0.77–1.87%), against 0.70% for region=west ' +
        '(a gap of 0.59 points, 95% interval for the largest gap between its slices 0.12–1.28 points; the two slices\' own intervals overlap, so this gap may be sampling noise). 1 other configuration changed none.',
    );
    expect(drift?.cellIds).toEqual(['1:ort-wasm:int8']);
  });

  it('gives no noise caution when the two slices\' own intervals are apart', () => {
    const int8 = fidelityReport(
      0.0098,
      5000,
      [sliceMetrics('region=south', 1550, 0.03, [0.022, 0.04]), sliceMetrics('region=west', 1200, 0.002, [0.0005, 0.006])],
      { highest: 'region=south', lowest: 'region=west', low: 0.018, high: 0.038 },
    );
    const results = testResults([{ engine: 'ort-wasm', precision: 'int8', rounds: { 1: [0.8, 0.8, 0.8] }, fidelity: int8 }]);
    const text = buildFindings(results, price).find((f) => f.kind === 'drift')?.text ?? '';
    expect(text).toContain('(a gap of 2.80 points, 95% interval for the largest gap between its slices 1.80–3.80 points)');
    expect(text).not.toContain('sampling noise');
  });

  it('says so when nothing moved', () => {
    const results = testResults([{ engine: 'ort-wasm', fidelity: fidelityReport(0, 300, []) }, { engine: 'tfjs-cpu', fidelity: fidelityReport(0, 300, []) }]);
    expect(buildFindings(results, price).find((f) => f.kind === 'drift')?.text).toBe(
      'No configuration changed a prediction: all 2 checked agree with the FP32 reference on every one of the 300 evaluation rows.',
    );
  });
});

describe('the recommendation slot and caveats', () => {
  it('puts a given recommendation first, and lists software GPU, unstable timing, wrong answers and unavailable engines', () => {
    const results = testResults(
      [
        { engine: 'ort-wasm', rounds: { 1: [1, 1, 1] } },
        { engine: 'ort-webgpu', rounds: { 1: [9, 9, 9] } },
        { engine: 'tfjs-webgl', state: 'errored' },
        { engine: 'ort-webnn', state: 'unavailable' },
      ],
      { unstable: true },
    );
    const findings = buildFindings(results, { ...price, recommendation: { text: 'Ship ORT wasm INT8.', cellIds: ['0:ort-wasm:fp32'] } });
    expect(findings.map((f) => f.id)).toEqual(['recommendation', 'speed-b1', 'cost', 'software-gpu', 'unstable', 'wrong-results', 'unavailable']);
    expect(findings[0]?.text).toBe('Ship ORT wasm INT8.');
    expect(findings.find((f) => f.id === 'software-gpu')?.text).toBe(
      'ORT WebGPU ran on a software GPU (the CPU emulating one): it proves the code path works, and its speed is not a GPU speed.',
    );
    expect(findings.find((f) => f.id === 'wrong-results')?.text).toBe('TF.js WebGL answered wrongly (outputs beyond the tolerance) and shows no timings.');
  });

  it('marks nothing on a device with a real GPU', () => {
    const results = testResults([{ engine: 'ort-wasm', rounds: { 1: [2, 2, 2] } }, { engine: 'ort-webgpu', rounds: { 1: [1, 1, 1] } }], { softwareGpu: false });
    const findings = buildFindings(results, price);
    expect(findings.some((f) => f.softwareGpu)).toBe(false);
    expect(findings.map((f) => f.text).join(' ')).not.toContain('software GPU');
  });
});

describe('wording helpers', () => {
  it('formats ratios and lists', () => {
    expect(formatRatio(1.4249)).toBe('1.42×');
    expect(formatRatio(43.14)).toBe('43.1×');
    expect(formatRatio(2364)).toBe('2,360×');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(listNames(['A'])).toBe('A');
    expect(listNames(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('cellSentence', () => {
  it('says what each cell did in words, with its rank and the software-GPU mark', () => {
    const results = testResults([
      { engine: 'ort-wasm', rounds: { 1: [1, 1, 1] } },
      { engine: 'tfjs-webgl', rounds: { 1: [8, 8, 8] } },
      { engine: 'ort-webnn', state: 'unavailable' },
      { engine: 'tfjs-cpu', state: 'errored' },
    ]);
    expect(results.cells.map((c) => cellSentence(c, results))).toEqual([
      'ORT wasm: answers checked against the reference. batch 1: median 1.00 ms (1.00 k rows/s, the fastest).',
      'TF.js WebGL (software GPU — not a GPU speed): answers checked against the reference. batch 1: median 8.00 ms (125 rows/s, 8.00× the fastest\'s time).',
      'ORT WebNN: unavailable on this device — no such backend here',
      'TF.js CPU: answered wrongly, so it shows no timings — max |Δ| 3 > 1e-4',
    ]);
  });
});
