/**
 * The lab's memory across reloads: every run the page starts, and each of its
 * cells written the moment it finishes, in IndexedDB (through `idb`). A tab
 * that reloads or crashes mid-run loses no finished cell; the run is then
 * found `interrupted` and the rest of its plan can be resumed.
 *
 * Framework-free: the page's store calls it, and tests run it over
 * fake-indexeddb.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import { openDB } from 'idb';
import type { CellResult, ResultsDocument } from '../results/results';
import type { Plan } from '../runner/plan';
import type { RunStarted } from '../runner/run-plan';

export const k_history_db = 'inference-lab-history';
const k_history_db_version = 1;

/** 'running' while a tab holds the run; 'interrupted' once no tab does and it never finished. */
export type RunRecordStatus = 'running' | 'interrupted' | 'complete' | 'cancelled' | 'failed';

export interface RunRecord {
  id: string;
  /** The user's name for it (defaults to the model's name and the date). */
  name: string;
  status: RunRecordStatus;
  plan: Plan;
  /** When the run began and what it is (model, device, rules). */
  started: RunStarted;
  updatedAt: string;
  cellCount: number;
  /** Cells written so far (every one of them, when complete). */
  finishedCells: number;
  /** The run whose remaining cells this one ran, when it is a resumption. */
  resumes?: string;
  /** Why a run failed. */
  error?: string;
  /** The whole document once the run ended (complete or cancelled), with its comparisons and wall time. */
  results?: ResultsDocument;
}

interface StoredCell {
  runId: string;
  index: number;
  cell: CellResult;
}

interface HistorySchema extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { byUpdated: string } };
  cells: { key: [string, number]; value: StoredCell; indexes: { byRun: string } };
}

export interface StorageUse {
  /** Bytes this origin uses and may use, as the browser estimates them; null where it does not say. */
  usage: number | null;
  quota: number | null;
  /** Whether the browser promised not to evict this origin's data under storage pressure. */
  persisted: boolean | null;
}

/** A new run's id: time-ordered, unique across tabs. */
function newRunId(): string {
  return `${new Date().toISOString()}-${Math.random().toString(36).slice(2, 8)}`;
}

export class RunHistory {
  private constructor(private readonly db: IDBPDatabase<HistorySchema>) {}

  static async open(name = k_history_db): Promise<RunHistory> {
    const db = await openDB<HistorySchema>(name, k_history_db_version, {
      upgrade(database) {
        const runs = database.createObjectStore('runs', { keyPath: 'id' });
        runs.createIndex('byUpdated', 'updatedAt');
        const cells = database.createObjectStore('cells', { keyPath: ['runId', 'index'] });
        cells.createIndex('byRun', 'runId');
      },
    });
    return new RunHistory(db);
  }

  close(): void {
    this.db.close();
  }

  /** Records a run that has just started; returns its id. */
  async start(plan: Plan, started: RunStarted, options: { name?: string; resumes?: string } = {}): Promise<string> {
    const id = newRunId();
    const record: RunRecord = {
      id,
      name: options.name ?? `${started.model.name} · ${started.createdAt.slice(0, 16).replace('T', ' ')}`,
      status: 'running',
      plan,
      started,
      updatedAt: new Date().toISOString(),
      cellCount: plan.cells.length,
      finishedCells: 0,
      ...(options.resumes ? { resumes: options.resumes } : {}),
    };
    await this.db.put('runs', record);
    return id;
  }

  /** Writes one finished cell (plan index `index`) and counts it, in one transaction: a crash leaves both or neither. */
  async saveCell(runId: string, index: number, cell: CellResult): Promise<void> {
    const tx = this.db.transaction(['runs', 'cells'], 'readwrite');
    const runs = tx.objectStore('runs');
    const record = await runs.get(runId);
    if (!record) throw new RangeError(`No run ${runId} in the history`);
    await tx.objectStore('cells').put({ runId, index, cell });
    const finishedCells = await tx.objectStore('cells').index('byRun').count(runId);
    await runs.put({ ...record, finishedCells, updatedAt: new Date().toISOString() });
    await tx.done;
  }

  /** The run ended: its whole document is kept (and every cell in it). */
  async finish(runId: string, results: ResultsDocument): Promise<void> {
    const tx = this.db.transaction(['runs', 'cells'], 'readwrite');
    const record = await tx.objectStore('runs').get(runId);
    if (!record) throw new RangeError(`No run ${runId} in the history`);
    await Promise.all(results.cells.map((cell, index) => tx.objectStore('cells').put({ runId, index, cell })));
    await tx.objectStore('runs').put({
      ...record,
      status: results.status === 'complete' ? 'complete' : 'cancelled',
      results,
      finishedCells: results.cells.length,
      updatedAt: new Date().toISOString(),
    });
    await tx.done;
  }

  async fail(runId: string, error: string): Promise<void> {
    await this.update(runId, { status: 'failed', error });
  }

  async rename(runId: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') throw new TypeError('A run needs a name: got an empty one');
    await this.update(runId, { name: trimmed });
  }

  /** Runs newest first. `isHeld` says whether some tab still holds a 'running' run; those that none holds are reported `interrupted`. */
  async list(isHeld: (runId: string) => boolean = () => false): Promise<RunRecord[]> {
    const runs = await this.db.getAllFromIndex('runs', 'byUpdated');
    return runs.reverse().map((r) => (r.status === 'running' && !isHeld(r.id) ? { ...r, status: 'interrupted' } : r));
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    return this.db.get('runs', runId);
  }

  /** The finished cells of a run by plan index (undefined where a cell never finished). */
  async cells(runId: string): Promise<(CellResult | undefined)[]> {
    const record = await this.db.get('runs', runId);
    if (!record) throw new RangeError(`No run ${runId} in the history`);
    const stored = await this.db.getAllFromIndex('cells', 'byRun', runId);
    const out: (CellResult | undefined)[] = record.plan.cells.map(() => undefined);
    for (const s of stored) out[s.index] = s.cell;
    return out;
  }

  async delete(runId: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'cells'], 'readwrite');
    const keys = await tx.objectStore('cells').index('byRun').getAllKeys(runId);
    await Promise.all([...keys.map((k) => tx.objectStore('cells').delete(k)), tx.objectStore('runs').delete(runId)]);
    await tx.done;
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(['runs', 'cells'], 'readwrite');
    await Promise.all([tx.objectStore('runs').clear(), tx.objectStore('cells').clear()]);
    await tx.done;
  }

  private async update(runId: string, change: Partial<RunRecord>): Promise<void> {
    const tx = this.db.transaction('runs', 'readwrite');
    const record = await tx.store.get(runId);
    if (!record) throw new RangeError(`No run ${runId} in the history`);
    await tx.store.put({ ...record, ...change, updatedAt: new Date().toISOString() });
    await tx.done;
  }
}

type StorageManagerLike = Pick<StorageManager, 'estimate' | 'persisted' | 'persist'>;

/** What this origin stores and whether the browser keeps it under pressure. */
export async function storageUse(storage: StorageManagerLike | undefined = globalThis.navigator?.storage): Promise<StorageUse> {
  if (!storage) return { usage: null, quota: null, persisted: null };
  const [estimate, persisted] = await Promise.all([storage.estimate().catch((): StorageEstimate => ({})), storage.persisted().catch(() => null)]);
  return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
}

/** Asks the browser to keep this origin's data under storage pressure; resolves whether it agreed (null: no such API). */
export async function requestPersistentStorage(storage: StorageManagerLike | undefined = globalThis.navigator?.storage): Promise<boolean | null> {
  if (!storage?.persist) return null;
  return storage.persist().catch(() => false);
}
