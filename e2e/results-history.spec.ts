import { expect, test } from '@playwright/test';
import { encodePlan } from '../src/lab/runner/plan';
import { TEST_RULES } from './lab-page';

/**
 * Two cells: the first closes at once, the second's fidelity pass takes
 * seconds, so the page is reloaded after one cell is kept and before the run ends.
 */
const plan = {
  schemaVersion: 1 as const,
  modelId: 'cps-wage',
  cells: [
    { engine: 'ort-wasm' as const, precision: 'fp32' as const },
    { engine: 'ort-wasm' as const, precision: 'int8' as const, fidelity: true },
  ],
  batchSizes: [1],
  rules: TEST_RULES,
  fidelity: { explainRows: 10, bootstrapIterations: 1000 },
};

test('a reload mid-run loses no finished cell, and the rest of the plan can be resumed', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(`./?plan=${encodePlan(plan)}&autorun=1`);
  const history = page.getByTestId('history-table');
  // The first cell is written the moment it finishes; reload while the second is still in its fidelity pass.
  await expect(history.locator('tr[data-status="running"] [data-testid="history-cells"]')).toHaveText('1 of 2', { timeout: 60_000 });
  await page.reload();

  await expect(page.getByTestId('interrupted-banner')).toBeVisible();
  const table = page.getByTestId('results-table');
  await expect(table.locator('tr[data-state="completed"]')).toHaveCount(1);
  await expect(table.locator('tr[data-state="completed"]')).toContainText('ORT wasm');
  await expect(table.locator('tr[data-state="aborted"]')).toContainText('Not finished');
  await expect(history.locator('tr[data-status="interrupted"] [data-testid="history-cells"]')).toHaveText('1 of 2');
  await expect(page.getByTestId('storage-use')).toContainText('This site uses');

  await page.getByTestId('resume').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(table.locator('tr[data-state="completed"]')).toContainText('ORT wasm INT8');
  await expect(history.locator('tr[data-status="complete"] [data-testid="history-cells"]')).toHaveText('1 of 1');
  await expect(history.locator('tr[data-status="interrupted"]')).toHaveCount(1);
  // The interrupted run is not offered again: it says which run resumed it.
  await expect(history.locator('tr[data-status="interrupted"] [data-testid="history-resumed-by"]')).toBeVisible();
  await expect(history.locator('tr[data-status="interrupted"] [data-testid="history-resume"]')).toHaveCount(0);

  // Rename: Escape keeps the old name and gives focus back to the button; Enter saves.
  const done = history.locator('tr[data-status="complete"]');
  await done.getByRole('button', { name: 'Rename' }).click();
  await page.getByTestId('rename-input').fill('first lecture');
  await page.getByTestId('rename-input').press('Escape');
  await expect(page.getByTestId('rename-input')).toHaveCount(0);
  await expect(done.getByRole('button', { name: 'Rename' })).toBeFocused();
  await expect(done.locator('th')).not.toContainText('first lecture');
  await done.getByRole('button', { name: 'Rename' }).click();
  await page.getByTestId('rename-input').fill('first lecture');
  await page.getByTestId('rename-input').press('Enter');
  await expect(done.locator('th')).toContainText('first lecture');
});
