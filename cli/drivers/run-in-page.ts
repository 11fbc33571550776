import type { KernelProfileOutcome } from '../../src/lab/profiles/kernel-profile';
import type { ResultsDocument } from '../../src/lab/results/results';
import type { Plan } from '../../src/lab/runner/plan';
import type { RunProgress } from '../../src/lab/runner/run-plan';
import type {} from '../../src/lab/api/window-api';
import { withTimeout } from '../../src/lab/util/timeout';
import type { LabPage } from './lab-page';

/** How often the harness drains the page's progress queue: often enough to stream, rare enough to cost the page nothing measurable (the cells time themselves in workers). */
const k_poll_ms = 250;
/** How long the served page may take to install window.inferenceLab. */
const k_ready_timeout_ms = 60_000;
/**
 * How long one protocol call may take. A browser that died can leave its
 * driver waiting for ever (WebKitWebDriver does when MiniBrowser is gone);
 * the cells' own hang detection is in the page, this guards the page itself.
 */
const k_call_timeout_ms = 120_000;

function call<R>(promise: Promise<R>, what: string): Promise<R> {
  return withTimeout(promise, k_call_timeout_ms, `The browser (${what})`);
}

interface PageJob {
  events: unknown[];
  errors: string[];
  done: boolean;
  result: string | null;
  error: string | null;
}

declare global {
  interface Window {
    __inferenceLabJob?: PageJob;
    __inferenceLabErrors?: string[];
  }
}

export interface PageHooks {
  onProgress: (progress: RunProgress) => void;
  onPageError: (message: string) => void;
}

/** Waits until the served page has installed its headless API. */
export async function openLab(page: LabPage, url: string): Promise<void> {
  await call(page.goto(url), `loading ${url}`);
  const deadline = Date.now() + k_ready_timeout_ms;
  for (;;) {
    const ready = await call(page.evaluate(() => {
      // Uncaught errors and rejections, for drivers whose protocol reports none (W3C WebDriver classic).
      if (!window.__inferenceLabErrors) {
        const errors: string[] = [];
        window.__inferenceLabErrors = errors;
        window.addEventListener('error', (e) => errors.push(e.message || String(e.error)));
        window.addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${String((e.reason as Error | undefined)?.message ?? e.reason)}`));
      }
      return window.inferenceLab !== undefined;
    }, null), 'checking for window.inferenceLab');
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`The lab at ${url} did not install window.inferenceLab within ${k_ready_timeout_ms / 1000} s`);
    await new Promise((r) => setTimeout(r, k_poll_ms));
  }
}

/** Starts `run` or `profile` in the page; the page keeps its progress and result until polled. */
function start(page: LabPage, kind: 'run' | 'profile', plan: Plan): Promise<boolean> {
  return page.evaluate(
    ([what, p]) => {
      const job: PageJob = { events: [], errors: [], done: false, result: null, error: null };
      window.__inferenceLabJob = job;
      const api = window.inferenceLab!;
      const finished: Promise<unknown> = what === 'run' ? api.run(p, (progress) => job.events.push(progress)) : api.profile(p);
      finished.then(
        (value) => {
          job.result = JSON.stringify(value);
          job.done = true;
        },
        (error: unknown) => {
          job.error = error instanceof Error ? error.message : String(error);
          job.done = true;
        },
      );
      return true;
    },
    [kind, plan] as const,
  );
}

interface Drained {
  events: unknown[];
  errors: string[];
  done: boolean;
  result: string | null;
  error: string | null;
}

function drain(page: LabPage): Promise<string> {
  // One JSON string back: every protocol carries a string unchanged, whatever it does to objects.
  return page.evaluate(() => {
    const job = window.__inferenceLabJob!;
    const errors = [...job.errors.splice(0), ...(window.__inferenceLabErrors?.splice(0) ?? [])];
    return JSON.stringify({ events: job.events.splice(0), errors, done: job.done, result: job.done ? job.result : null, error: job.error });
  }, null);
}

async function follow<T>(page: LabPage, kind: 'run' | 'profile', plan: Plan, hooks: PageHooks): Promise<T> {
  await call(start(page, kind, plan), `starting inferenceLab.${kind}()`);
  for (;;) {
    await new Promise((r) => setTimeout(r, k_poll_ms));
    const state = JSON.parse(await call(drain(page), 'reporting progress')) as Drained;
    for (const message of [...page.takeErrors(), ...state.errors]) hooks.onPageError(message);
    if (kind === 'run') for (const event of state.events) hooks.onProgress(event as RunProgress);
    if (state.error !== null) throw new Error(`inferenceLab.${kind}() failed in the page: ${state.error}`);
    if (state.done) return JSON.parse(state.result!) as T;
  }
}

/** Runs the plan through window.inferenceLab.run() (the Run button's path), streaming progress. */
export function runPlanInPage(page: LabPage, plan: Plan, hooks: PageHooks): Promise<ResultsDocument> {
  return follow<ResultsDocument>(page, 'run', plan, hooks);
}

/** Kernel profiles in runs of their own, after every timing. */
export function profileInPage(page: LabPage, plan: Plan, hooks: PageHooks): Promise<KernelProfileOutcome[]> {
  return follow<KernelProfileOutcome[]>(page, 'profile', plan, hooks);
}
