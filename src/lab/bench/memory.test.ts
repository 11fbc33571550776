import { describe, expect, it } from 'vitest';
import { cellMemory, leakCheck, MemoryMeter } from './memory';

describe('MemoryMeter', () => {
  it('keeps the largest total and each source’s own peak, then the readings after dispose', () => {
    const readings = [
      [{ source: 'wasm memory', bytes: 100 }],
      [
        { source: 'wasm memory', bytes: 300 },
        { source: 'WebGPU buffers', bytes: 50 },
      ],
      [
        { source: 'wasm memory', bytes: 300 },
        { source: 'WebGPU buffers', bytes: 80 },
      ],
      [
        { source: 'wasm memory', bytes: 300 },
        { source: 'WebGPU buffers', bytes: 0 },
      ],
    ];
    let i = 0;
    const meter = new MemoryMeter(() => readings[Math.min(i++, readings.length - 1)]!);
    meter.markOpened();
    expect([meter.sample(), meter.sample()]).toEqual([350, 380]);
    meter.afterDispose();
    const result = meter.result();
    expect(result.note).toMatch(/^wasm memory never shrinks: .*; performance\.measureUserAgentSpecificMemory\(\) is not used: /);
    expect({ ...result, note: undefined }).toEqual({
      peakBytes: 380,
      afterWarmupBytes: 100,
      afterDisposeBytes: 300,
      source: 'wasm memory + WebGPU buffers',
      bySource: [
        { source: 'wasm memory', peakBytes: 300, afterDisposeBytes: 300 },
        { source: 'WebGPU buffers', peakBytes: 80, afterDisposeBytes: 0 },
      ],
      note: undefined,
    });
  });

  it('shows a count that lives inside another source beside it, never adding it twice', () => {
    const meter = new MemoryMeter(() => [
      { source: 'wasm memory', bytes: 16_777_216 },
      { source: 'TF.js tensors (in wasm memory)', bytes: 4096, inside: 'wasm memory' },
    ]);
    expect(meter.sample()).toBe(16_777_216);
    meter.afterDispose();
    expect(meter.result()).toMatchObject({
      peakBytes: 16_777_216,
      afterDisposeBytes: 16_777_216,
      source: 'wasm memory',
      bySource: [
        { source: 'wasm memory', peakBytes: 16_777_216, afterDisposeBytes: 16_777_216 },
        { source: 'TF.js tensors (in wasm memory)', peakBytes: 4096, afterDisposeBytes: 4096, inside: 'wasm memory' },
      ],
    });
  });

  it('is n/a with the reason when no source ever measured anything', () => {
    const meter = new MemoryMeter(() => []);
    expect(meter.sample()).toBeNull();
    meter.afterDispose();
    const m = meter.result();
    expect(m).toMatchObject({ peakBytes: null, afterDisposeBytes: null, source: 'n/a' });
    expect(m.reason).toMatch(/WebGL textures of onnxruntime-web are invisible/);
  });

  it('says when there is a peak but no reading after dispose', () => {
    expect(cellMemory(10, new Map([['WebGPU buffers', 10]]), null)).toMatchObject({ peakBytes: 10, afterDisposeBytes: null, reason: 'No reading after dispose' });
  });
});

describe('leakCheck', () => {
  it('reports growth from the first cycle to the last, and per cycle', () => {
    expect(leakCheck([1000, 1000, 1064, 1128], 'wasm memory')).toEqual({ cycles: 4, growthBytes: 128, perCycleBytes: 128 / 3, afterEachCycleBytes: [1000, 1000, 1064, 1128], source: 'wasm memory' });
    expect(leakCheck([500, 500], 'TF.js tensors (JS arrays)')).toMatchObject({ growthBytes: 0, perCycleBytes: 0 });
  });

  it('has no growth figure when nothing measured the engine or there were too few cycles', () => {
    expect(leakCheck([null, null], 'n/a')).toMatchObject({ growthBytes: null, reason: 'No source measured this engine' });
    expect(leakCheck([10], 'wasm memory')).toMatchObject({ growthBytes: null, reason: 'Fewer than two cycles' });
  });
});
