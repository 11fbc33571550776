import { expect, test } from 'vitest';
import { checkZoo } from './check-zoo';

test('the committed zoo is what the deterministic build steps give (npm run models -- --check)', async () => {
  const report = await checkZoo();
  report.notes.forEach((note) => console.log(note));
  expect(report.problems).toEqual([]);
});
