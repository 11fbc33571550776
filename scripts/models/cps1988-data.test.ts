import { describe, expect, test } from 'vitest';
import { encodeRow, featureNames, fitPreprocessing, median, parseCps1988Csv, seededPermutation, splitRows, type Cps1988Row } from './cps1988-data';

const k_csv = `wage,education,experience,ethnicity,smsa,region,parttime
100,10,5,cauc,yes,northeast,no
300,14,20,afam,no,south,yes
`;

describe('cps1988 data', () => {
  test('parses rows and names a bad value with its line', () => {
    expect(parseCps1988Csv(k_csv)[1]).toEqual({ wage: 300, education: 14, experience: 20, ethnicity: 'afam', smsa: 'no', region: 'south', parttime: 'yes' });
    expect(() => parseCps1988Csv(k_csv.replace('south', 'north'))).toThrow(/line 3: region must be one of northeast\/midwest\/south\/west, got "north"/);
    expect(() => parseCps1988Csv('a,b\n')).toThrow(/expected header/);
  });

  test('median follows R (mean of the middle two for an even count)', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test('seeded permutation and split are reproducible and complete', () => {
    expect(seededPermutation(10, 1988)).toEqual(seededPermutation(10, 1988));
    expect(seededPermutation(10, 1988)).not.toEqual(seededPermutation(10, 1989));
    expect([...seededPermutation(10, 1988)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const { train, evaluation } = splitRows([...Array(10).keys()], 5, 0.2);
    expect(evaluation).toHaveLength(2);
    expect([...train, ...evaluation].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
  });

  test('preprocessing standardizes with train mean / population std and one-hots categories', () => {
    const rows: Cps1988Row[] = parseCps1988Csv(k_csv);
    const p = fitPreprocessing(rows);
    expect(p.steps[0]).toEqual({ type: 'standardize', column: 'education', mean: 12, std: 2 });
    expect(featureNames(p)).toEqual([
      'education', 'experience', 'ethnicity=afam', 'smsa=yes',
      'region=northeast', 'region=midwest', 'region=south', 'region=west', 'parttime=yes',
    ]);
    expect(encodeRow(rows[1] as Cps1988Row, p)).toEqual([1, 1, 1, 0, 0, 0, 1, 0, 1]);
    expect(encodeRow(rows[0] as Cps1988Row, p)).toEqual([-1, -1, 0, 1, 1, 0, 0, 0, 0]);
  });
});
