import type { BrowserBuild } from '../../src/lab/results/run-origin';

/**
 * What the CLI needs from a browser, whatever drives it (Playwright, WebDriver
 * BiDi, W3C WebDriver): open the served lab, evaluate functions in it, and
 * report the page's errors. Progress streams by polling the page (see
 * run-in-page.ts), which every protocol can do, so one harness serves all.
 */
export interface LabPage {
  /** The engine and build that ran, and how it was driven. */
  readonly build: BrowserBuild;
  /** What this browser was kept from reaching, and what was not enforced, in words (goes into the results). */
  readonly network: string;
  /** Facts about how the browser was started that change what it can do (headless, a display, SharedArrayBuffer switched on). */
  readonly notes: readonly string[];
  goto(url: string): Promise<void>;
  /**
   * Runs a self-contained function in the page (it is sent as source text:
   * it may not use anything from the module around it) and returns its
   * JSON-serialisable result; a returned promise is awaited.
   */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Console errors and uncaught errors the protocol reported since the last call ([] where it reports none: the page-side collector covers those). */
  takeErrors(): string[];
  close(): Promise<void>;
}

/** Errors a driver's event stream delivers, kept until the harness asks. */
export class ErrorInbox {
  private errors: string[] = [];

  push(message: string): void {
    this.errors.push(message);
  }

  take(): string[] {
    const out = this.errors;
    this.errors = [];
    return out;
  }
}
