import type { ChildProcess } from 'node:child_process';

/**
 * Processes the CLI started (Xvfb, WebKitWebDriver): stopped when the CLI
 * exits however it exits, so a crash or Ctrl-C never leaves a display server
 * or a driver behind on a CI machine.
 */
const children = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
      });
    }
  }
  return child;
}

/** Stops a child and waits until it is gone. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
