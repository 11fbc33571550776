/**
 * Harness overhead: the lab's sample (runBlock, one sample of N back-to-back
 * calls) against a minimal raw loop around the same session in the same
 * worker, interleaved sample by sample with the order alternating, so host
 * drift lands on both alike. The ratio's interval says whether the harness
 * adds anything the clock can see.
 */
import type { PairedRatio } from './ratios';
import { pairedRatio } from './ratios';
import { runBlock } from './protocol';
import { quantile, sortSamples } from './statistics';

export interface OverheadMeasurement {
  pairs: number;
  callsPerSample: number;
  /** Mean ms per call of each lab sample and each raw sample, in pair order. */
  labMs: number[];
  rawMs: number[];
  labMedianMs: number;
  rawMedianMs: number;
  /** lab / raw, 95% interval over pairs: above 1 is overhead. */
  ratio: PairedRatio;
}

export async function measureOverhead(fn: () => Promise<unknown>, pairs: number, callsPerSample: number, now: () => number): Promise<OverheadMeasurement> {
  const labMs: number[] = [];
  const rawMs: number[] = [];
  const lab = async () => {
    const block = await runBlock(fn, { callsPerSample, minSpanMs: 0, minSamples: 1, maxSamples: 1, minMs: 0, maxMs: Number.POSITIVE_INFINITY }, now);
    labMs.push(block.samplesMs[0] ?? Number.NaN);
  };
  const raw = async () => {
    const t0 = now();
    for (let i = 0; i < callsPerSample; i += 1) await fn();
    rawMs.push((now() - t0) / callsPerSample);
  };
  for (let p = 0; p < pairs; p += 1) {
    if (p % 2 === 0) {
      await lab();
      await raw();
    } else {
      await raw();
      await lab();
    }
  }
  return {
    pairs,
    callsPerSample,
    labMs,
    rawMs,
    labMedianMs: quantile(sortSamples(labMs), 0.5),
    rawMedianMs: quantile(sortSamples(rawMs), 0.5),
    ratio: pairedRatio(labMs, rawMs),
  };
}
