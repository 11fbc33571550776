import { expect, test } from '@playwright/test';
import { openLab } from './lab-page';

/**
 * Every zoo model on every engine at every variant, each completed cell
 * against its own stored tolerance, is the support matrix
 * (support-matrix.spec.ts); here, what the zoo lists.
 */
test('the zoo lists three models with their task, sizes and quality', async ({ page }) => {
  await openLab(page);
  const zoo = await page.evaluate(() => window.inferenceLab!.models());
  expect(zoo.map((m) => m.id)).toEqual(['cps-wage', 'fashion-mnist-cnn', 'esrgan-slim-x2']);
  for (const m of zoo) {
    expect(m.artifactBytes.fp32?.onnx).toBeGreaterThan(0);
    expect(m.artifactBytes.fp32?.tfjs).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('model-summary')).toContainText('accuracy');
});
