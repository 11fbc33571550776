import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../bin/inference-lab.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  out: string;
}

/**
 * Runs the CLI as a user would (its own process), writing to a fresh --out
 * unless `out` is given. Killed after `timeoutMs` (keep it under the test's
 * own timeout, so the run's output is what the failure shows).
 */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, out = mkdtempSync(join(tmpdir(), 'inference-lab-cli-')), timeoutMs = 170_000): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args, '--out', out], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: timeoutMs,
  });
  const killed = result.signal ? `\n[the CLI was stopped by ${result.signal} after ${timeoutMs / 1000} s]` : '';
  return { status: result.status, stdout: result.stdout, stderr: result.stderr + killed, out };
}

/** A results file the run wrote; when it is missing, the failure shows what the run printed. */
export function readOut(run: CliRun, file: string): string {
  const path = join(run.out, file);
  if (!existsSync(path)) throw new Error(`${file} was not written (exit ${run.status}); the CLI printed:\n${run.stdout}\n${run.stderr}`);
  return readFileSync(path, 'utf8');
}

/**
 * The same, without blocking this process: needed when this process serves
 * something the CLI talks to (a Playwright browser server started here).
 */
export function cliAsync(args: string[], out = mkdtempSync(join(tmpdir(), 'inference-lab-cli-'))): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--out', out], { env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 170_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, out });
    });
  });
}

export function writeJson(name: string, value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'inference-lab-in-')), name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}
