import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { findingsOnFirstScreen, inViewport, openLab } from './lab-page';
import { recordRequests } from './origin-guard';
import { encodePlan } from '../src/lab/runner/plan';
import { presetPlan } from '../src/lab/runner/plan-presets';

/** axe-core's serious and critical violations, named with the elements they hit (empty is the goal). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Presses Tab (Shift+Tab backwards) until the element is focused, as a keyboard user would reach it (at most `limit` presses). */
async function tabTo(page: Page, testId: string, { backwards = false, limit = 80 } = {}): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${testId} was not reached in ${limit} Tab presses`);
}

test.use({ viewport: { width: 1280, height: 720 } });

/**
 * One tiny run (two CPU engines at FP32 on cps-wage) carries every check of
 * the page a class uses: keyboard only, reduced motion, axe before, during and
 * after the run and in presentation mode, the findings on the 1280×720 screen
 * after the run, no sideways scrolling at 1280 and 360 px, and the
 * presentation keys.
 */
test('the run by keyboard alone, its findings on the first screen, accessible throughout, and presentation mode stepping', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const requests = recordRequests(page);
  await openLab(page);
  // The first screen fetches no runtime and no chart code.
  expect(requests.urls.filter((u) => /\/(ort|tfjs)\/|results-panel/.test(u))).toEqual([]);
  await expect(page.getByLabel('ORT wasm', { exact: true })).toBeVisible();

  // Before the run: the Run button on the 1280×720 screen, nothing sideways, no serious axe violation.
  expect(await inViewport(page, '[data-testid="run"]')).toBe(true);
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);

  // Keyboard only: untick nine engines and INT8 with Space, reach Run with Tab, start it with Enter.
  for (const label of ['ORT WebGL', 'ORT WebGPU', 'ORT WebNN', 'TF.js wasm', 'TF.js WebGL', 'TF.js WebGPU', 'LiteRT wasm', 'LiteRT WebGPU', 'LiteRT WebNN', 'INT8']) {
    const box = page.getByLabel(label, { exact: true });
    await box.focus();
    await page.keyboard.press('Space');
    await expect(box).not.toBeChecked();
  }
  await tabTo(page, 'run');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  expect(await seriousViolations(page)).toEqual([]);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  // Runtimes only for the engines the plan used: ORT's plain wasm build, none of its GPU builds, no TF.js wasm, no LiteRT.
  expect(requests.urls.some((u) => u.endsWith('/ort/ort-wasm-simd-threaded.wasm'))).toBe(true);
  expect(requests.urls.filter((u) => /asyncify|jsep|tfjs-backend-wasm|ort\.webgpu|ort\.webgl|\/litert\//.test(u))).toEqual([]);

  // After the run the page has moved to the findings (at once: reduced motion), the Run button still on screen,
  // and focus is on the findings' heading.
  const findings = page.getByTestId('findings');
  await expect(findings).toBeVisible();
  await expect(page.locator('#findings-heading')).toBeFocused();
  expect(await findingsOnFirstScreen(page)).toEqual([]);
  const text = (await findings.textContent()) ?? '';
  await expect(findings.locator('[data-finding]').first()).toHaveAttribute('data-finding', 'recommendation');
  expect(text).toMatch(/At batch 1, (ORT wasm|TF\.js CPU) (is the fastest: [\d.]+× faster than the next|and (ORT wasm|TF\.js CPU) are the fastest and cannot be told apart)/);
  expect(text).toContain('serves 1M predictions for $');
  expect(text).toMatch(/changed|No configuration changed a prediction/);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('button')!).transitionDuration)).toBe('0s');
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  // Table text at 16 px at least.
  const smallest = await page.locator('[data-testid="results-table"] td, [data-testid="results-table"] th, [data-testid="results-table"] .explain').evaluateAll((els) =>
    Math.min(...els.filter((e) => (e.textContent ?? '').trim() !== '').map((e) => parseFloat(getComputedStyle(e).fontSize))),
  );
  expect(smallest).toBeGreaterThanOrEqual(16);

  // Printed: the findings and tables, none of the controls that only work on screen.
  await page.emulateMedia({ media: 'print', reducedMotion: 'reduce' });
  await expect(findings).toBeVisible();
  await expect(page.getByTestId('results-table')).toBeVisible();
  for (const id of ['run', 'model-input', 'compare-files', 'history-panel']) await expect(page.getByTestId(id)).toBeHidden();
  await expect(page.getByText('Show as a table').first()).toBeHidden();
  await page.emulateMedia({ media: 'screen', reducedMotion: 'reduce' });

  // Presentation mode: the projector layout, text at 18 px at least, one key steps through findings, then cells.
  await tabTo(page, 'present-toggle', { backwards: true });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]present=1/);
  const stage = page.getByTestId('stage-text');
  // The recommendation under the page's needs comes first, then the speed findings.
  await expect(stage).toHaveAttribute('data-step', 'recommendation');
  const tinyText = await page.locator('body *').evaluateAll((els) =>
    els
      .filter((e) => e.childNodes.length > 0 && [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== ''))
      // recharts measures label widths in an off-screen span of its own.
      .filter((e) => (e as HTMLElement).offsetParent !== null && !e.closest('svg') && e.id !== 'recharts_measurement_span')
      .filter((e) => parseFloat(getComputedStyle(e).fontSize) < 18)
      .map((e) => `${e.tagName} ${(e.textContent ?? '').slice(0, 30)}`),
  );
  expect(tinyText).toEqual([]);
  const seen: string[] = [];
  const covered: string[] = [];
  for (let i = 0; i < 12; i += 1) {
    seen.push((await stage.getAttribute('data-step')) ?? '');
    // What the step outlines comes to rest below the sticky stage, not under it (a cell: from its P50 on).
    covered.push(
      await page.evaluate(() => {
        const card = document.querySelector('[data-testid="presentation-stage"]')!.getBoundingClientRect();
        const marked = document.querySelector('.step-active');
        if (!marked) return '';
        const shown = (marked.querySelector('[data-figure="p50"]') ?? marked).getBoundingClientRect();
        const hidden = shown.top < card.bottom - 1 || shown.right > document.documentElement.clientWidth + 1;
        return hidden ? `${marked.getAttribute('data-finding') ?? marked.getAttribute('data-cell')}: top ${shown.top.toFixed(0)} under the stage (bottom ${card.bottom.toFixed(0)}) or right ${shown.right.toFixed(0)} off screen` : '';
      }),
    );
    await page.keyboard.press('ArrowRight');
  }
  expect(covered.filter(Boolean)).toEqual([]);
  expect(seen.slice(0, 5)).toEqual(['recommendation', 'speed-b1', 'speed-b16', 'cost', 'drift']);
  expect(seen).toContain('0:ort-wasm:fp32');
  expect(seen).toContain('1:tfjs-cpu:fp32');
  await expect(page.locator('[data-cell="1:tfjs-cpu:fp32"]').first()).toHaveClass(/step-active/);
  await page.keyboard.press('ArrowLeft');
  await expect(stage).toHaveAttribute('data-step', '0:ort-wasm:fp32');
  expect(await seriousViolations(page)).toEqual([]);

  // A phone: nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 720 });
  expect(await horizontalOverflow(page)).toBe(0);
});

/**
 * The lecture as the README tells an instructor to give it: the lecture demo's
 * share link with autorun and presentation mode. It must open on an answer
 * (a recommendation under the page's default needs, not "nothing qualifies"),
 * then a speed finding and a fairness finding.
 */
test('the lecture demo from its share link, run and presented: a recommendation, a speed finding and a fairness finding', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`./?plan=${encodePlan(presetPlan('lecture', 'cps-wage', 2))}&autorun=1&present=1`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const stage = page.getByTestId('stage-text');
  await expect(stage).toHaveAttribute('data-step', 'recommendation');
  await expect(stage).toContainText('ORT wasm');
  await expect(stage).not.toContainText('Nothing qualifies');
  const findings = page.getByTestId('findings');
  const ids = await findings.locator('[data-finding]').evaluateAll((els) => els.map((e) => e.getAttribute('data-finding')));
  expect(ids.slice(0, 3)).toEqual(['recommendation', 'speed-b1', 'speed-b16']);
  await expect(findings.locator('[data-finding="drift"]')).toContainText(/ORT wasm INT8 moved the most predictions: .* Most for region=\w+/);
});
