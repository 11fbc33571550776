/**
 * Messages between the page and the intake worker, which reads a user's
 * model and prepares it (reference, variants) away from the page's thread: a
 * damaged file that makes the decoder spin, or an engine that crashes on it,
 * costs that worker only.
 */
import type { ModelManifest } from '../manifest';
import type { IntakeStep, NativeReference } from './intake-prepare';
import type { IntakeOptions } from './intake-options';
import type { PickedFile } from './intake-read';
import type { ModelCard } from './model-card';
import type { UserInputErrorData } from './user-model-error';

/** Data as it crosses to the worker: CSV text, or image files the worker decodes. */
export type IntakeDataMessage = { kind: 'none' } | { kind: 'csv'; fileName: string; text: string } | { kind: 'images'; items: { path: string; blob: Blob }[] };

export type ToIntake =
  | { type: 'read'; files: PickedFile[]; dims: Record<string, number>; deviceMemoryGiB?: number }
  | { type: 'prepare'; data: IntakeDataMessage; options: IntakeOptions; native?: NativeReference; appBaseUrl: string };

export type IntakeFailure = UserInputErrorData | { problem: null; message: string };

export type FromIntake =
  | { type: 'card'; card: ModelCard; problems: UserInputErrorData[] }
  | { type: 'progress'; step: IntakeStep; detail: string }
  | { type: 'prepared'; modelId: string; card: ModelCard; manifest: ModelManifest; files: Record<string, Uint8Array> }
  | { type: 'failed'; error: IntakeFailure };
