/**
 * Taking in a user's model from the page's own objects (File, Blob, bytes):
 * read it into a card in an intake worker, then prepare it there, and
 * register it so any plan can name it. The API's addModel and the UI both
 * go through here.
 */
import type { IntakeStep, NativeReference } from './intake-prepare';
import { IntakeSession, type IntakeWorkerLike, type PreparedMessage } from './intake-client';
import type { IntakeDataMessage } from './intake-protocol';
import { type IntakeOptions, type IntakeOptionsInput, parseIntakeOptions } from './intake-options';
import type { PickedFile } from './intake-read';
import type { ModelCard } from './model-card';
import { UserInputError, type UserInputErrorData } from './user-model-error';
import type { UserModelRegistry } from './user-models';

/** A model file as a script can give it. */
export type ModelSourceInput = Blob | { name: string; bytes: ArrayBuffer | Uint8Array };

/** Data: a CSV (one file, or its text) or an image folder (a list of files with their relative paths). */
export type DataInput = Blob | { name: string; text: string } | readonly (Blob | { path: string; blob: Blob })[];

export interface AddModelOptions extends IntakeOptionsInput {
  data?: DataInput;
  /** Golden outputs computed natively (the CLI's onnxruntime-node): they replace the page's reference. */
  reference?: NativeReference;
  /** A shared plan's SHA-256: a different file is refused. */
  expectSha256?: string;
}

export interface AddModelDeps {
  createWorker: () => IntakeWorkerLike;
  appBaseUrl: string;
  registry: UserModelRegistry;
  deviceMemoryGiB?: number;
  onProgress?: (step: IntakeStep | 'read', detail: string) => void;
  /** Called with the card as soon as the file is read (before the reference step). */
  onCard?: (card: ModelCard, problems: UserInputErrorData[]) => void;
}

/** A File's path inside a picked folder, else its name. */
function pathOf(blob: Blob, fallback: string): string {
  const file = blob as Partial<File> & { webkitRelativePath?: string };
  return file.webkitRelativePath || file.name || fallback;
}

export async function pickedFiles(source: ModelSourceInput | readonly ModelSourceInput[]): Promise<PickedFile[]> {
  const list = Array.isArray(source) ? (source as readonly ModelSourceInput[]) : [source as ModelSourceInput];
  return Promise.all(
    list.map(async (item, i) => {
      if (item instanceof Blob) return { name: pathOf(item, `model-${i + 1}`), bytes: new Uint8Array(await item.arrayBuffer()) };
      return { name: item.name, bytes: item.bytes instanceof Uint8Array ? item.bytes : new Uint8Array(item.bytes) };
    }),
  );
}

export async function dataMessage(data: DataInput | undefined): Promise<IntakeDataMessage> {
  if (data === undefined) return { kind: 'none' };
  if (Array.isArray(data)) {
    const items = (data as readonly (Blob | { path: string; blob: Blob })[]).map((item, i) => (item instanceof Blob ? { path: pathOf(item, `image-${i + 1}`), blob: item } : item));
    return { kind: 'images', items };
  }
  if (data instanceof Blob) return { kind: 'csv', fileName: pathOf(data, 'data.csv'), text: await data.text() };
  const csv = data as { name: string; text: string };
  return { kind: 'csv', fileName: csv.name, text: csv.text };
}

/** Reads and prepares a model; resolves with its id and card once it can run. @throws UserInputError naming the problem. */
export async function addUserModel(source: ModelSourceInput | readonly ModelSourceInput[], options: AddModelOptions, deps: AddModelDeps): Promise<{ modelId: string; card: ModelCard; prepared: PreparedMessage; options: IntakeOptions }> {
  const { data, reference, expectSha256, ...rest } = options;
  const intake = parseIntakeOptions(rest);
  const session = new IntakeSession(deps.createWorker, (step, detail) => deps.onProgress?.(step, detail));
  try {
    deps.onProgress?.('read', 'reading the file');
    const files = await pickedFiles(source);
    const { card, problems } = await session.read(files, intake.dims, deps.deviceMemoryGiB);
    deps.onCard?.(card, problems);
    if (expectSha256 && card.sha256 !== expectSha256) {
      throw new UserInputError('different-file', `${card.fileName} is not the file this plan was made with: its SHA-256 is ${card.sha256.slice(0, 12)}…, the plan's ${expectSha256.slice(0, 12)}…`);
    }
    const first = problems[0];
    if (first) throw new UserInputError(first.problem, first.message);
    const prepared = await session.prepare(await dataMessage(data), intake, deps.appBaseUrl, reference);
    deps.registry.add(prepared, intake);
    return { modelId: prepared.modelId, card: prepared.card, prepared, options: intake };
  } finally {
    session.dispose();
  }
}
