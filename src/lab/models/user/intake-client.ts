/**
 * The page's side of one intake worker: read a model into its card, then
 * prepare it. Like the cell supervisor, it never lets a worker take the page
 * down: a worker that crashes, or stays silent past the limit (a damaged file
 * that sends the decoder into a loop), is terminated and the request ends
 * with a clear failure; the page stays usable for the next file.
 */
import type { ModelManifest } from '../manifest';
import type { IntakeOptions } from './intake-options';
import type { IntakeStep, NativeReference } from './intake-prepare';
import type { FromIntake, IntakeDataMessage, IntakeFailure, ToIntake } from './intake-protocol';
import type { PickedFile } from './intake-read';
import type { ModelCard } from './model-card';
import { UserInputError, type UserInputErrorData } from './user-model-error';

/** The part of a Worker the client uses; tests pass fakes. */
export interface IntakeWorkerLike {
  postMessage(message: ToIntake): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromIntake>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/** Silence after which a reading worker is stopped: decoding a 1 GiB file takes a few seconds here. */
export const k_read_silence_ms = 30_000;
/** Silence after which a preparing worker is stopped (it reports progress between steps). */
export const k_prepare_silence_ms = 120_000;

export interface ReadResult {
  card: ModelCard;
  problems: UserInputErrorData[];
}

export interface PreparedMessage {
  modelId: string;
  card: ModelCard;
  manifest: ModelManifest;
  files: Record<string, Uint8Array>;
}

/** The worker was lost: not the user's input's fault as far as the lab can tell, so no problem kind. */
export class IntakeLostError extends Error {
  override readonly name = 'IntakeLostError';
}

function failure(error: IntakeFailure): Error {
  return error.problem === null ? new Error(error.message) : new UserInputError(error.problem, error.message);
}

export class IntakeSession {
  private worker: IntakeWorkerLike | undefined;
  private pending: { resolve: (m: FromIntake) => void; reject: (e: Error) => void; silenceMs: number; what: string } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly createWorker: () => IntakeWorkerLike,
    private readonly onProgress: (step: IntakeStep, detail: string) => void = () => undefined,
  ) {}

  /** Reads the picked files into a card (and the problems that rule the model out). */
  async read(files: PickedFile[], dims: Record<string, number>, deviceMemoryGiB?: number): Promise<ReadResult> {
    this.worker = this.createWorker();
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.lose(`The worker reading the model crashed: ${event.message || 'no message (out of memory?)'}`);
    };
    const name = files[0]?.name ?? 'the file';
    let answer: FromIntake;
    try {
      // The files are copied, not transferred: the page keeps them to try again with other options.
      answer = await this.request({ type: 'read', files, dims, ...(deviceMemoryGiB ? { deviceMemoryGiB } : {}) }, k_read_silence_ms, `reading ${name}`);
    } catch (error) {
      // Reading takes the file alone: a decoder that crashed or never returned on it was sent there by the file.
      if (error instanceof IntakeLostError) throw new UserInputError('corrupt', `${error.message}; ${name} is probably damaged`);
      throw error;
    }
    if (answer.type === 'failed') throw failure(answer.error);
    if (answer.type !== 'card') throw new IntakeLostError(`The intake worker answered "${answer.type}" out of turn`);
    return { card: answer.card, problems: answer.problems };
  }

  /** Prepares the model read before (reference, variants, manifest). */
  async prepare(data: IntakeDataMessage, options: IntakeOptions, appBaseUrl: string, native?: NativeReference): Promise<PreparedMessage> {
    const answer = await this.request({ type: 'prepare', data, options, appBaseUrl, ...(native ? { native } : {}) }, k_prepare_silence_ms, 'preparing the model');
    if (answer.type === 'failed') throw failure(answer.error);
    if (answer.type !== 'prepared') throw new IntakeLostError(`The intake worker answered "${answer.type}" out of turn`);
    const { modelId, card, manifest, files } = answer;
    return { modelId, card, manifest, files };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.worker?.terminate();
    this.worker = undefined;
  }

  private request(message: ToIntake, silenceMs: number, what: string): Promise<FromIntake> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new IntakeLostError('The intake worker is gone (read a model first)'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, silenceMs, what };
      this.arm();
      worker.postMessage(message);
    });
  }

  private arm(): void {
    clearTimeout(this.timer);
    const pending = this.pending;
    if (!pending) return;
    this.timer = setTimeout(() => this.lose(`Stopped ${pending.what}: the worker was silent for ${Math.round(pending.silenceMs / 1000)} s (a damaged file can send a decoder into a loop)`), pending.silenceMs);
  }

  private receive(message: FromIntake): void {
    if (message.type === 'progress') {
      this.arm();
      this.onProgress(message.step, message.detail);
      return;
    }
    clearTimeout(this.timer);
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(message);
  }

  private lose(message: string): void {
    const pending = this.pending;
    this.pending = undefined;
    this.dispose();
    pending?.reject(new IntakeLostError(message));
  }
}

/** A fresh module worker per model. */
export function createIntakeWorker(): IntakeWorkerLike {
  return new Worker(new URL('./intake-worker.ts', import.meta.url), { type: 'module', name: 'inference-lab-intake' });
}
