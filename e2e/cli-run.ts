import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../bin/inference-lab.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  out: string;
}

/** Runs the CLI as a user would (its own process), writing to a fresh --out unless `out` is given. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, out = mkdtempSync(join(tmpdir(), 'inference-lab-cli-'))): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args, '--out', out], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 170_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, out };
}

export function writeJson(name: string, value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'inference-lab-in-')), name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}
