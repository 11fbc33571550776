import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k_cps_features, k_cps_label, k_cps_slices } from '../../../../scripts/user-models/cps-table';
import { guessCsvMapping, parseCsv } from './tabular-data';

const cps = parseCsv(readFileSync(resolve(import.meta.dirname, '../../../../fixtures/user-models/cps-rows.csv'), 'utf8'), 'cps-rows.csv');

describe('guessCsvMapping', () => {
  it("maps the fixture's columns as its model needs: 8 numeric features, the 0/1 outcome as label, the text groups as slices", () => {
    expect(guessCsvMapping(cps, [{ shape: ['N', 8] }])).toEqual({ features: [...k_cps_features], label: k_cps_label, slices: [...k_cps_slices] });
  });

  it('takes every numeric column but the label when the model does not say its width, and a column named like a label first', () => {
    const table = parseCsv('a,b,target,group\n1,2.5,0,x\n3,4,1,y\n5,6,2,x\n', 't.csv');
    expect(guessCsvMapping(table, null)).toEqual({ features: ['a', 'b'], label: 'target', slices: ['group'] });
  });

  it('guesses no label rather than a wrong one, feeds no row id, and never slices by the label', () => {
    // The numeric columns are exactly what the model takes: all features, no label.
    expect(guessCsvMapping(parseCsv('a,b,c\n1,2,3\n4,5,6\n', 'u.csv'), [{ shape: ['N', 3] }])).toEqual({ features: ['a', 'b', 'c'], slices: [] });
    // The 0/1 outcome first (Titanic's layout): it is the label, not a feature.
    const titanic = parseCsv('id,Survived,Pclass,Age,Sex\n1,0,3,22,male\n2,1,1,38,female\n3,1,3,26,female\n', 't.csv');
    expect(guessCsvMapping(titanic, [{ shape: ['N', 2] }])).toEqual({ features: ['Pclass', 'Age'], label: 'Survived', slices: ['Sex'] });
    // A text column named like a label is the label, and not also a slice.
    const named = parseCsv('x,class\n1,cat\n2,dog\n', 'n.csv');
    expect(guessCsvMapping(named, null)).toEqual({ features: ['x'], label: 'class', slices: [] });
  });

  it('leaves the features to the user, input by input, for a model with several inputs', () => {
    expect(guessCsvMapping(cps, [{ shape: ['N', 4] }, { shape: ['N', 4] }]).features).toEqual({});
  });
});
