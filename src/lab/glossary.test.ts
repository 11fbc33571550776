import { describe, expect, it } from 'vitest';
import { ENGINE_IDS } from './engines/engine-descriptors';
import { PRECISIONS } from './engines/precision';
import { FIGURES } from './results/figures';
import { ENGINE_NOTES, glossary, PRECISION_NOTES } from './glossary';

describe('glossary', () => {
  it('has a note for every engine and every precision variant (a new engine needs one)', () => {
    for (const id of ENGINE_IDS) expect(ENGINE_NOTES[id]?.length ?? 0, id).toBeGreaterThan(40);
    for (const p of PRECISIONS) expect(PRECISION_NOTES[p].length, p).toBeGreaterThan(40);
  });

  it('gathers every figure, fidelity metric and symbol, each term once and none empty', () => {
    const entries = glossary();
    const terms = entries.map((e) => e.term);
    expect(new Set(terms).size).toBe(terms.length);
    for (const f of FIGURES) expect(terms).toContain(f.label);
    expect(terms).toEqual(expect.arrayContaining(['Flip rate', 'Attribution ρ and top-k overlap', '⚠', '⚑', 'Software GPU', 'INT8', 'ORT wasm']));
    expect(entries.filter((e) => e.note.trim().length < 20)).toEqual([]);
  });
});
