/**
 * Where and how a results document was produced: which browser engine and
 * build, driven by what, with which part of the plan. It is the browser/device
 * dimension a merge joins runs along; the page's own device report says what
 * the page could see, this says what the runner knew from outside it.
 */

/** Browser engine families the CLI can drive; a remote endpoint may report another ("other"). */
export const BROWSER_FAMILIES = ['chromium', 'firefox', 'webkit'] as const;
export type BrowserFamily = (typeof BROWSER_FAMILIES)[number];

export interface BrowserBuild {
  family: BrowserFamily | 'other';
  /** The engine and product that ran, e.g. "Chromium", "Firefox ESR", "WebKitGTK MiniBrowser" (never a user-agent's made-up name). */
  name: string;
  /** The build as the browser or its driver reports it, e.g. "2.50.6" for WebKitGTK. */
  version: string;
  /** What drove it, e.g. "puppeteer-core 25.19.0 over WebDriver BiDi". */
  driver: string;
  /** A remote endpoint's origin (credentials removed); absent for a browser started on this machine. */
  endpoint?: string;
}

/** A deterministic part of a plan's cells (see shard.ts): `index` of `count`, 1-based, and the plan indices it ran. */
export interface ShardInfo {
  index: number;
  count: number;
  cells: number[];
}

export interface RunOrigin {
  /** The run's name in a merge and in file names: "chromium", "firefox", "webkit-grid" … */
  label: string;
  browser: BrowserBuild;
  /** What the browser was kept from reaching, and what was not enforced. */
  network: string;
  /** How it was started where that changes what it can do (headless, Xvfb, SharedArrayBuffer switched on). */
  notes: string[];
  /** Present when the run was one shard of its plan. */
  shard?: ShardInfo;
  /** Shards joined into this document by a merge: which were present, and the plan cells none of them held. */
  mergedShards?: { count: number; present: number[]; missingCells: number[] };
  /** The machine the CLI ran on, as Node sees it (for a local browser, the device under test). */
  host?: { logicalCpus: number; platform: string };
}

/** Labels become file names and JUnit suite names: letters, digits, dot, dash, underscore. */
export const k_label_pattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
