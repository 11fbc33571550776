import { expect, test } from '@playwright/test';
import { encodePlan } from '../src/lab/runner/plan';
import { openLab, TEST_RULES } from './lab-page';

test('Cancel mid-run marks the rest aborted and leaves a usable page', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('run').click();
  // Wait until the first cell has finished, then cancel during the rest.
  await expect(page.getByTestId('results-table').locator('tr')).not.toHaveCount(0);
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  await expect(page.getByTestId('results-table').locator('tr[data-state="aborted"]').first()).toBeVisible();

  // The page still works: a small run afterwards completes.
  const results = await page.evaluate(
    (rules) =>
      window.inferenceLab!.run({ schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'tfjs-cpu' }], batchSizes: [1], rules }),
    TEST_RULES,
  );
  expect(results.cells[0]!.state).toBe('completed');
});

test('a shared URL with autorun reproduces the plan', async ({ page }) => {
  const plan = { schemaVersion: 1 as const, modelId: 'cps-wage', cells: [{ engine: 'tfjs-cpu' as const }], batchSizes: [4], rules: TEST_RULES };
  await page.goto(`./?plan=${encodePlan(plan)}&autorun=1`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const rows = page.getByTestId('results-table').locator('tr[data-state="completed"]');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('TF.js CPU');
});
