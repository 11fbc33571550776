/**
 * Models a user asked the lab to keep on this device (IndexedDB, this
 * origin only): the picked files, the data and the options, so the model can
 * be taken in again after a reload without picking the files. Nothing is
 * kept unless asked; "forget" deletes it.
 */
import { type DBSchema, openDB } from 'idb';
import type { IntakeOptions } from './intake-options';

export const k_kept_database = 'inference-lab-kept-models';

export interface KeptModel {
  sha256: string;
  fileName: string;
  keptAt: string;
  bytes: number;
  files: { name: string; blob: Blob }[];
  data: { kind: 'none' } | { kind: 'csv'; name: string; blob: Blob } | { kind: 'images'; items: { path: string; blob: Blob }[] };
  options: IntakeOptions;
}

interface KeptSchema extends DBSchema {
  models: { key: string; value: KeptModel };
}

function database() {
  return openDB<KeptSchema>(k_kept_database, 1, {
    upgrade(db) {
      db.createObjectStore('models', { keyPath: 'sha256' });
    },
  });
}

/** Runs `work` on the opened database and closes it (the page holds no connection between uses). */
async function withDatabase<T>(work: (db: Awaited<ReturnType<typeof database>>) => Promise<T>): Promise<T> {
  const db = await database();
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

export async function keepModel(model: KeptModel): Promise<void> {
  await withDatabase((db) => db.put('models', model));
}

/** Whether the database exists, asked without creating it (opening it would). */
async function exists(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  if (typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((d) => d.name === k_kept_database);
}

/** What is kept, without the files; nothing is created on this device by asking. */
export async function keptModels(): Promise<Pick<KeptModel, 'sha256' | 'fileName' | 'keptAt' | 'bytes'>[]> {
  if (!(await exists())) return [];
  return withDatabase(async (db) => (await db.getAll('models')).map(({ sha256, fileName, keptAt, bytes }) => ({ sha256, fileName, keptAt, bytes })));
}

export function keptModel(sha256: string): Promise<KeptModel | undefined> {
  return withDatabase((db) => db.get('models', sha256));
}

export async function forgetModel(sha256: string): Promise<void> {
  await withDatabase((db) => db.delete('models', sha256));
}
