/**
 * The "your model" panel's state: the files picked, the card, the options
 * (dimensions, CSV mapping, image preprocessing), the intake's progress and
 * the problem to show. It calls the core (IntakeSession, the registry) and
 * holds no computation of its own.
 */
import { create } from 'zustand';
import { appBaseUrl, deviceMemoryGiB, userModelRegistry } from '../lab/api/window-api';
import { dataMessage, pickedFiles } from '../lab/models/user/add-model';
import { createIntakeWorker, IntakeSession } from '../lab/models/user/intake-client';
import { type CsvMapping, type ImageOptions, parseIntakeOptions } from '../lab/models/user/intake-options';
import type { ModelCard } from '../lab/models/user/model-card';
import { guessCsvMapping, parseCsv } from '../lab/models/user/tabular-data';
import { isUserInputError, type UserInputErrorData } from '../lab/models/user/user-model-error';
import { userModelPlan } from '../lab/models/user/user-plan';
import { forgetModel, keepModel, keptModel, keptModels } from '../lab/models/user/kept-models';
import { errorMessage } from '../lab/util/errors';
import { useRunStore } from './run-store';

type Phase = 'idle' | 'reading' | 'card' | 'preparing' | 'ready' | 'failed';

interface Problem {
  problem: UserInputErrorData['problem'] | null;
  message: string;
}

interface UserModelState {
  phase: Phase;
  modelFiles: File[];
  card: ModelCard | null;
  /** Problems that rule the model out, found with the card. */
  problems: UserInputErrorData[];
  /** What went wrong last (the panel shows it; results already measured stay). */
  error: Problem | null;
  progress: string | null;
  /** Values for symbolic dimensions other than the batch. */
  dims: Record<string, number>;
  csv: { file: File; header: string[] } | null;
  mapping: CsvMapping | null;
  images: File[];
  imageOptions: ImageOptions;
  /** The model ready to run (registered), if any. */
  readyModelId: string | null;
  /** Every model added in this page (for the plan's model list). */
  models: { modelId: string; fileName: string }[];
  /** Keep the next prepared model on this device (IndexedDB), as the user asked. */
  keep: boolean;
  /** Models kept on this device. */
  kept: { sha256: string; fileName: string; keptAt: string; bytes: number }[];
  setKeep: (keep: boolean) => void;
  refreshKept: () => Promise<void>;
  openKept: (sha256: string) => Promise<void>;
  forgetKept: (sha256: string) => Promise<void>;
  chooseModel: (files: File[]) => Promise<void>;
  chooseCsv: (file: File | null) => Promise<void>;
  setMapping: (mapping: CsvMapping) => void;
  chooseImages: (files: File[]) => void;
  setImageOptions: (options: ImageOptions) => void;
  setDim: (name: string, value: number) => void;
  prepare: () => Promise<void>;
}

let session: IntakeSession | undefined;
/** The pick being read: a later pick makes an earlier answer stale. */
let pickToken = 0;

/** The model a shared plan names when this page does not hold it yet: the file must be that one. */
export function expectedModel(): NonNullable<ReturnType<typeof useRunStore.getState>['plan']['userModel']> | null {
  const { plan } = useRunStore.getState();
  return plan.userModel && !userModelRegistry.get(plan.modelId) ? plan.userModel : null;
}

const problemOf = (error: unknown): Problem => (isUserInputError(error) ? { problem: error.problem, message: error.message } : { problem: null, message: errorMessage(error) });

export const useUserModelStore = create<UserModelState>((set, get) => ({
  phase: 'idle',
  modelFiles: [],
  card: null,
  problems: [],
  error: null,
  progress: null,
  dims: {},
  csv: null,
  mapping: null,
  images: [],
  imageOptions: {},
  readyModelId: null,
  models: [],
  keep: false,
  kept: [],
  setKeep: (keep) => set({ keep }),
  refreshKept: async () => {
    try {
      set({ kept: await keptModels() });
    } catch (error) {
      set({ error: problemOf(error) });
    }
  },
  openKept: async (sha256) => {
    const model = await keptModel(sha256);
    if (!model) return;
    const asFile = (blob: Blob, name: string) => new File([blob], name);
    set({
      dims: model.options.dims,
      csv: null,
      mapping: model.options.csv ?? null,
      images: model.data.kind === 'images' ? model.data.items.map((i) => Object.defineProperty(asFile(i.blob, i.path.split('/').pop() ?? i.path), 'webkitRelativePath', { value: i.path })) : [],
      imageOptions: model.options.images ?? {},
    });
    if (model.data.kind === 'csv') {
      const table = parseCsv(await model.data.blob.text(), model.data.name);
      set({ csv: { file: asFile(model.data.blob, model.data.name), header: table.header } });
    }
    await get().chooseModel(model.files.map((f) => asFile(f.blob, f.name)));
  },
  forgetKept: async (sha256) => {
    await forgetModel(sha256);
    await get().refreshKept();
  },

  chooseModel: async (files) => {
    const token = ++pickToken;
    session?.dispose();
    session = new IntakeSession(createIntakeWorker, (_step, detail) => set({ progress: detail }));
    set({ phase: 'reading', modelFiles: files, card: null, problems: [], error: null, progress: 'reading the file', readyModelId: null });
    try {
      const memory = deviceMemoryGiB();
      const { card, problems } = await session.read(await pickedFiles(files), get().dims, memory);
      if (token !== pickToken) return;
      const expected = expectedModel();
      const different = expected && expected.sha256 !== card.sha256 ? { problem: 'different-file' as const, message: `${card.fileName} is not the file the shared plan was made with: its SHA-256 is ${card.sha256.slice(0, 12)}…, the plan's (${expected.fileName}) ${expected.sha256.slice(0, 12)}…` } : null;
      // The same file as a shared plan's: take it in with that plan's options.
      const intake = expected && !different ? expected.intake : undefined;
      set({
        phase: 'card',
        card,
        problems: different ? [different, ...problems] : problems,
        progress: null,
        ...(intake ? { dims: intake.dims, ...(intake.csv ? { mapping: intake.csv } : {}), ...(intake.images ? { imageOptions: intake.images } : {}) } : {}),
      });
    } catch (error) {
      if (token === pickToken) set({ phase: 'failed', error: problemOf(error), progress: null });
    }
  },

  chooseCsv: async (file) => {
    if (!file) {
      set({ csv: null, mapping: null });
      return;
    }
    try {
      const table = parseCsv(await file.text(), file.name);
      // A first guess the user edits (a share link's mapping when it carries one).
      const guess: CsvMapping = expectedModel()?.intake?.csv ?? guessCsvMapping(table, get().card?.inputs ?? null);
      set({ csv: { file, header: table.header }, mapping: guess, images: [], error: null });
    } catch (error) {
      set({ csv: null, mapping: null, error: problemOf(error) });
    }
  },

  setMapping: (mapping) => set({ mapping }),
  chooseImages: (files) => set({ images: files, csv: null, mapping: null }),
  setImageOptions: (imageOptions) => set({ imageOptions }),
  setDim: (name, value) => set((s) => ({ dims: { ...s.dims, [name]: value } })),

  prepare: async () => {
    const state = get();
    const token = pickToken;
    if (!state.card || state.problems.length > 0) return;
    set({ phase: 'preparing', error: null, progress: 'starting the reference engine' });
    try {
      // A session lost to a crash or a timeout reads the file again.
      if (!session) {
        session = new IntakeSession(createIntakeWorker, (_step, detail) => set({ progress: detail }));
        await session.read(await pickedFiles(state.modelFiles), state.dims, deviceMemoryGiB());
      }
      const options = parseIntakeOptions({
        dims: state.dims,
        ...(state.csv && state.mapping ? { csv: state.mapping } : {}),
        ...(state.images.length > 0 ? { images: state.imageOptions } : {}),
      });
      const data = await dataMessage(state.csv ? state.csv.file : state.images.length > 0 ? state.images : undefined);
      const prepared = await session.prepare(data, options, appBaseUrl());
      if (token !== pickToken) return;
      const entry = userModelRegistry.add(prepared, options);
      // A shared plan for this very model keeps its cells; otherwise the model's own quick plan.
      if (useRunStore.getState().plan.modelId !== entry.modelId) useRunStore.getState().setPlan(userModelPlan(entry));
      set({ phase: 'ready', card: prepared.card, readyModelId: entry.modelId, progress: null });
      if (state.keep) {
        // Only because the user asked: the picked files, the data and the options, on this device.
        await keepModel({
          sha256: entry.sha256,
          fileName: entry.fileName,
          keptAt: new Date().toISOString(),
          bytes: state.modelFiles.reduce((n, f) => n + f.size, 0),
          files: state.modelFiles.map((f) => ({ name: f.name, blob: f })),
          data: state.csv ? { kind: 'csv', name: state.csv.file.name, blob: state.csv.file } : state.images.length > 0 ? { kind: 'images', items: state.images.map((f) => ({ path: f.webkitRelativePath || f.name, blob: f })) } : { kind: 'none' },
          options,
        });
        await get().refreshKept();
      }
    } catch (error) {
      if (token !== pickToken) return;
      if (!isUserInputError(error)) {
        session?.dispose();
        session = undefined;
      }
      set({ phase: 'card', error: problemOf(error), progress: null });
    }
  },
}));

// The page's registry is the one source of which user models exist (the API adds to it too).
userModelRegistry.subscribe(() => useUserModelStore.setState({ models: userModelRegistry.list().map(({ modelId, fileName }) => ({ modelId, fileName })) }));
