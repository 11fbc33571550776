import { describe, expect, it } from 'vitest';

import { occlusionInputs, occlusionPositions, planOcclusion, solveOcclusion } from './occlusion';
import type { ImageShape } from './occlusion';

const gray4: ImageShape = { height: 4, width: 4, channels: 1, layout: 'chw' };
const ones16 = new Array<number>(16).fill(1);

/**
 * A fake classifier on 4×4 gray images: s = 0.125 × (sum of the top-left
 * 2×2 pixels), outputs [1 − s, s]. On an all-ones image s = 0.5, and a
 * patch filled with 0 lowers s by 0.125 per top-left pixel it covers.
 */
function fakeModel(inputs: Float32Array): Float64Array {
  const images = inputs.length / 16;
  const out = new Float64Array(images * 2);
  for (let i = 0; i < images; i++) {
    const px = (y: number, x: number): number => inputs[i * 16 + y * 4 + x] ?? 0;
    const s = 0.125 * (px(0, 0) + px(0, 1) + px(1, 0) + px(1, 1));
    out[i * 2] = 1 - s;
    out[i * 2 + 1] = s;
  }
  return out;
}

describe('occlusionPositions', () => {
  it('steps by the stride and adds a patch flush with the edge when needed', () => {
    expect(occlusionPositions(4, 2, 2)).toEqual([0, 2]);
    expect(occlusionPositions(5, 2, 2)).toEqual([0, 2, 3]);
    expect(occlusionPositions(4, 2, 1)).toEqual([0, 1, 2]);
    expect(occlusionPositions(3, 5, 1)).toEqual([0]); // patch clamped to the image
  });

  it('rejects non-positive sizes', () => {
    expect(() => occlusionPositions(4, 0, 1)).toThrow('patch must be a positive integer, got 0');
  });
});

describe('planOcclusion + solveOcclusion', () => {
  it('maps non-overlapping patches to their probability drops', () => {
    const plan = planOcclusion(ones16, gray4, { patch: 2 });
    expect(plan.rows).toBe(5);
    expect([plan.gridHeight, plan.gridWidth]).toEqual([2, 2]);
    const map = solveOcclusion(plan, fakeModel(occlusionInputs(plan)), 2, 1);
    expect(map.baseProbability).toBe(0.5);
    expect(map.grid).toEqual([0.5, 0, 0, 0]);
    expect(map.values).toEqual([0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('averages the drops of overlapping patches per pixel', () => {
    const plan = planOcclusion(ones16, gray4, { patch: 2, stride: 1 });
    const map = solveOcclusion(plan, fakeModel(occlusionInputs(plan)), 2, 1);
    // Patch (t, l) covers ov(t)·ov(l) top-left pixels, ov = [2, 1, 0]; drop = 0.125 per pixel.
    expect(map.grid).toEqual([0.5, 0.25, 0, 0.25, 0.125, 0, 0, 0, 0]);
    expect(map.values[0]).toBe(0.5); // only patch (0, 0)
    expect(map.values[1]).toBe(0.375); // patches (0, 0) and (0, 1)
    expect(map.values[5]).toBe(0.28125); // (1, 1): four patches, (0.5 + 0.25 + 0.25 + 0.125) / 4
    expect(map.values[6]).toBe(0.09375); // (1, 2): (0.25 + 0 + 0.125 + 0) / 4
    expect(map.values[15]).toBe(0);
  });

  it('attributes the other class with the opposite sign', () => {
    const plan = planOcclusion(ones16, gray4, { patch: 2 });
    const map = solveOcclusion(plan, fakeModel(occlusionInputs(plan)), 2, 0);
    expect(map.grid).toEqual([-0.5, 0, 0, 0]);
  });

  it('fills per channel in channels-last and channels-first layouts', () => {
    const hwc: ImageShape = { height: 2, width: 2, channels: 2, layout: 'hwc' };
    const image = [1, 2, 3, 4, 5, 6, 7, 8];
    const plan = planOcclusion(image, hwc, { patch: 1, fill: [-1, 9] });
    expect(plan.rows).toBe(5);
    // Row 2 is patch 1 = pixel (0, 1): its two channel values are filled.
    expect([...occlusionInputs(plan, 2, 1)]).toEqual([1, 2, -1, 9, 5, 6, 7, 8]);
    const chw = planOcclusion(image, { ...hwc, layout: 'chw' }, { patch: 1, fill: [-1, 9] });
    // Channel planes [1, 2, 3, 4] and [5, 6, 7, 8]; pixel (0, 1) is index 1 of each.
    expect([...occlusionInputs(chw, 2, 1)]).toEqual([1, -1, 3, 4, 5, 9, 7, 8]);
    expect([...occlusionInputs(chw, 0, 1)]).toEqual(image);
  });

  it('builds chunks that concatenate to the whole input', () => {
    const plan = planOcclusion(ones16, gray4, { patch: 2, stride: 1 });
    const whole = occlusionInputs(plan);
    expect([...occlusionInputs(plan, 0, 4), ...occlusionInputs(plan, 4, 6)]).toEqual([...whole]);
    expect(() => occlusionInputs(plan, 8, 3)).toThrow('rows 8..10 are outside [0, 9]');
  });

  it('rejects bad images, fills and outputs', () => {
    expect(() => planOcclusion([1, 2], gray4, { patch: 2 })).toThrow('expected 4×4×1 = 16 values, got 2');
    expect(() => planOcclusion(ones16, gray4, { patch: 2, fill: [0, 0] })).toThrow('fill must be');
    expect(() => planOcclusion(ones16, { ...gray4, height: 0 }, { patch: 2 })).toThrow('height must be');
    const plan = planOcclusion(ones16, gray4, { patch: 2 });
    expect(() => solveOcclusion(plan, new Float64Array(4), 2, 1)).toThrow('expected outputs for 5 rows, got 2');
  });
});
