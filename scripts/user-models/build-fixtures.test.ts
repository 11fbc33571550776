import { expect, test } from 'vitest';
import { checkFixtures } from './build-fixtures';

test('the committed bring-your-own-model fixtures are the files index.json names (npm run fixtures -- --check)', async () => {
  const { problems, notes } = await checkFixtures();
  notes.forEach((note) => console.log(note));
  expect(problems).toEqual([]);
});
