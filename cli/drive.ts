import { chromium, type Page } from '@playwright/test';
import { profilingPlan } from '../src/lab/profiles/profile-plan';
import type { ResultsDocument } from '../src/lab/results/results';
import { parsePlan, type Plan } from '../src/lab/runner/plan';
import type { RunProgress } from '../src/lab/runner/run-plan';
import type {} from '../src/lab/api/window-api';
import type { SupportedBrowser } from './browsers';
import { chromiumLaunchOptions } from './browsers';
import { BadInputError } from './exit-codes';
import type { CliUserModel } from './user-model';

/**
 * Adds the user's model in the page (its bytes cross as base64: nothing is
 * served or fetched) and returns the plan to run: its quick plan, or the
 * template's cells with its id and SHA-256. A problem with the model or data
 * is bad input (exit 2); the page names it.
 */
async function addUserModel(page: Page, model: CliUserModel, template: unknown): Promise<Plan> {
  const answer = await page.evaluate(
    async ({ model, template }) => {
      // No named helpers in here: tsx names them with a __name() the page does not have.
      const api = window.inferenceLab!;
      const data =
        model.data.kind === 'csv'
          ? { name: model.data.name, text: model.data.text }
          : model.data.kind === 'images'
            ? model.data.items.map((i) => ({ path: i.path, blob: new Blob([Uint8Array.from(atob(i.base64), (c) => c.charCodeAt(0))]) }))
            : undefined;
      try {
        const { modelId } = await api.addModel(
          model.files.map((f) => ({ name: f.name, bytes: Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) })),
          { ...model.options, ...(data ? { data } : {}), ...(model.native ? { reference: model.native } : {}) },
        );
        const base = api.defaultPlan(modelId);
        // A template's cells read the model's own format unless they name one.
        const format = base.cells[0]?.format;
        const cells = (template as { cells?: unknown } | null)?.cells;
        const plan =
          template && typeof template === 'object'
            ? { ...base, ...template, modelId: base.modelId, userModel: base.userModel, ...(Array.isArray(cells) ? { cells: cells.map((c: object) => ({ format, ...c })) } : {}) }
            : base;
        return { ok: true as const, plan };
      } catch (error) {
        const problem = (error as { problem?: unknown }).problem;
        return { ok: false as const, problem: typeof problem === 'string' ? problem : null, message: error instanceof Error ? error.message : String(error) };
      }
    },
    { model, template },
  );
  if (answer.ok) {
    try {
      return parsePlan(answer.plan);
    } catch (error) {
      throw new BadInputError(`--plan for your model: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (answer.problem) throw new BadInputError(answer.message);
  throw new Error(`Adding the model failed: ${answer.message}`);
}

export interface DriveOptions {
  browser: SupportedBrowser;
  url: string;
  /** A zoo plan; absent with `userModel` (the plan is made in the page once the model is in). */
  plan?: Plan;
  /** A model of the user's own: added in the page first (addModel), then run with its quick plan or `planTemplate`'s cells. */
  userModel?: CliUserModel;
  /** A --plan file's JSON for the user's model: its model id and SHA-256 come from the page. */
  planTemplate?: unknown;
  /** Told the plan once it is known (for the user's model, after it is added). */
  onPlan?: (plan: Plan) => void;
  webgpu: boolean;
  /** Write Chromium's network log (netlog JSON) here. */
  netLog?: string;
  /** After the run, kernel profiles of its completed cells (runs of their own), added as `profiles`. */
  profile?: boolean;
  onProgress: (progress: RunProgress) => void;
  onPageError: (message: string) => void;
}

declare global {
  interface Window {
    __inferenceLabProgress?: (progress: RunProgress) => void;
  }
}

/**
 * Opens the lab in a real browser and runs the plan through the same
 * `window.inferenceLab` contract the UI uses.
 */
export async function runInBrowser(options: DriveOptions): Promise<ResultsDocument> {
  const browser = await chromium.launch({ ...chromiumLaunchOptions({ webgpu: options.webgpu, ...(options.netLog ? { netLog: options.netLog } : {}) }), headless: true });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => options.onPageError(error.message));
    await page.exposeFunction('__inferenceLabProgress', options.onProgress);
    await page.goto(options.url);
    await page.waitForFunction(() => window.inferenceLab !== undefined);
    const plan = options.userModel ? await addUserModel(page, options.userModel, options.planTemplate) : options.plan;
    if (!plan) throw new Error('runInBrowser needs a plan or a user model');
    options.onPlan?.(plan);
    const results = await page.evaluate(
      (plan) => window.inferenceLab!.run(plan, (progress) => window.__inferenceLabProgress?.(progress)),
      plan,
    );
    const profiling = options.profile ? profilingPlan(results) : null;
    if (!profiling) return results;
    // In runs of their own, after every timing: the timed figures above are untouched.
    const profiles = await page.evaluate((plan) => window.inferenceLab!.profile(plan), profiling);
    return { ...results, profiles };
  } finally {
    await browser.close();
  }
}
