import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { BrowserMissingError, findExecutable } from '../browsers';
import { stop, track } from './children';

export interface Display {
  /** The DISPLAY value for the browser's environment. */
  display: string;
  /** How the display came about, for the run's notes. */
  note: string;
  close(): Promise<void>;
}

const k_xvfb_start_timeout_ms = 10_000;

/**
 * The display a headed browser needs: the caller's own DISPLAY when there is
 * one, else a private Xvfb started here (and stopped with the browser).
 * Xvfb picks a free display number itself and writes it to a pipe when it is
 * ready (-displayfd), so two runs side by side never collide.
 */
export async function ensureDisplay(why: string): Promise<Display> {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY, note: `headed on the existing display ${process.env.DISPLAY}`, close: () => Promise.resolve() };
  const xvfb = findExecutable('XVFB_PATH', ['/usr/bin/Xvfb']);
  if (!xvfb) {
    throw new BrowserMissingError(`${why} needs a display and there is none (DISPLAY is unset) and no Xvfb to start one. Install it with \`sudo apt-get install xvfb\`, or run under an X server.`);
  }
  const child = track(spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const number = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start within ${k_xvfb_start_timeout_ms / 1000} s: ${stderr.trim()}`)), k_xvfb_start_timeout_ms);
    (child.stdio[3] as Readable).on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (code ${code}) before it was ready: ${stderr.trim()}`));
    });
  });
  return {
    display: `:${number}`,
    note: `headed under a private Xvfb (:${number}) that the CLI started`,
    close: () => stop(child),
  };
}
