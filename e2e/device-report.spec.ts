import type {} from '../src/lab/api/window-api';
import { expect, test } from '@playwright/test';
import type { DeviceReport } from '../src/lab/device/device-report';
import { runtimePackages } from '../src/lab/engines/engine-descriptors';
import { recordRequests } from './origin-guard';

test.describe('device report (Chromium with WebGPU flag, preview build under a sub-path)', () => {
  test('reports WebGL2 and the software WebGPU fallback adapter with its features', async ({ page }) => {
    await page.goto('./');
    const table = page.getByTestId('device-report');
    await expect(table).toBeVisible();

    const report = await page.evaluate(() => window.inferenceLab!.capabilities());
    expect(report.webgl.status).toBe('available');
    if (report.webgl.status === 'available') {
      expect(report.webgl.detail.version).toBe(2);
      expect(report.webgl.detail.renderer).toMatch(/swiftshader/i);
      expect(report.webgl.detail.software).toBe(true);
    }
    expect(report.webgpu.status).toBe('available');
    if (report.webgpu.status === 'available') {
      expect(report.webgpu.detail.isFallbackAdapter).toBe(true);
      expect(report.webgpu.detail.software).toBe(true);
      expect(report.webgpu.detail.features).toContain('timestamp-query');
      expect(report.webgpu.detail.limits.maxBufferSize).toBeGreaterThan(0);
      expect(report.webgpu.notes.join(' ')).toMatch(/software/i);
    }
    // The table says the same as the API.
    await expect(table.locator('[data-capability="webgpu"]')).toHaveAttribute('data-status', 'available');
    await expect(table.locator('[data-capability="webgpu"]')).toContainText('fallback adapter');
    await expect(table.locator('[data-capability="webgl"]')).toContainText('WebGL 2');
  });

  test('the preview build is cross-origin isolated, reports threads and a fine timer', async ({ page }) => {
    await page.goto('./');
    const report: DeviceReport = await page.evaluate(() => window.inferenceLab!.capabilities());
    expect(report.crossOriginIsolated).toBe(true);
    expect(report.sharedArrayBuffer).toBe(true);
    expect(report.wasmSimd.status).toBe('available');
    expect(report.wasmThreads).toMatchObject({ status: 'available', detail: { maxThreads: report.hardwareConcurrency } });
    // Isolated pages get a ~5 µs clock; unisolated ones 100 µs.
    expect(report.timer.stepMs).toBeGreaterThan(0);
    expect(report.timer.stepMs).toBeLessThan(0.05);
    expect(report.browser.name).not.toBe('unknown');
    // Every runtime an engine descriptor names reports the version this page serves.
    expect(Object.keys(report.engines)).toEqual(runtimePackages().map(([runtime]) => runtime));
    for (const version of Object.values(report.engines)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('WebNN is probed by asking for a context, not by its mere presence', async ({ page }) => {
    await page.goto('./');
    const { webnn, hasMl } = await page.evaluate(async () => ({
      webnn: (await window.inferenceLab!.capabilities()).webnn,
      hasMl: 'ml' in navigator,
    }));
    if (webnn.status === 'unavailable') {
      expect(webnn.reason).toMatch(hasMl ? /refused/ : /no navigator\.ml/);
    } else {
      expect(hasMl).toBe(true);
    }
  });

  test('loading the page and probing makes no request to any other origin', async ({ page, baseURL }) => {
    const requests = recordRequests(page);
    await page.goto('./');
    await page.evaluate(() => window.inferenceLab!.capabilities());
    await expect(page.getByTestId('device-report')).toBeVisible();
    const origin = new URL(baseURL!).origin;
    expect(requests.urls.length).toBeGreaterThan(0);
    expect(requests.foreign(origin)).toEqual([]);
  });
});
