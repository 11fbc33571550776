import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeResults } from '../results/fixtures/make-results';
import { parseResultsDocument } from '../results/results-file';
import type { RunStarted } from '../runner/run-plan';
import { k_not_finished_reason, recordResults, remainingPlan } from './resume';
import { RunHistory, requestPersistentStorage, storageUse } from './run-history';
import { heldRunIds, holdRunLock } from './run-locks';

const doc = makeResults([
  { engine: 'ort-wasm', rounds: { 1: [[1, 1.1], [1.2, 1]] } },
  { engine: 'tfjs-cpu', rounds: { 1: [[3, 3.1], [3.2, 3]] } },
  { engine: 'tfjs-wasm', rounds: { 1: [[2, 2.1], [2.2, 2]] } },
]);
const started: RunStarted = { createdAt: doc.createdAt, model: doc.model, device: doc.device, rules: doc.rules };

let history: RunHistory;
let name = 0;
beforeEach(async () => {
  history = await RunHistory.open(`test-history-${++name}`);
});
afterEach(() => history.close());

describe('RunHistory', () => {
  it('keeps each cell the moment it finishes; a run no tab holds is interrupted, and its rest can be resumed', async () => {
    const id = await history.start(doc.plan, started);
    await history.saveCell(id, 0, doc.cells[0]!);
    await history.saveCell(id, 2, doc.cells[2]!);
    // Reopened as after a reload: a fresh connection reads what was written.
    const again = await RunHistory.open(`test-history-${name}`);
    const [record] = await again.list();
    expect(record).toMatchObject({ id, status: 'interrupted', finishedCells: 2, cellCount: 3 });
    expect((await again.list(() => true))[0]?.status).toBe('running');
    const cells = await again.cells(id);
    expect(cells.map((c) => c?.cellId)).toEqual(['0:ort-wasm:fp32', undefined, '2:tfjs-wasm:fp32']);

    const rest = remainingPlan(record!.plan, cells);
    expect(rest?.cells.map((c) => c.engine)).toEqual(['tfjs-cpu']);
    expect(rest?.name).toBe('custom (resumed)');
    const partial = parseResultsDocument(JSON.parse(JSON.stringify(recordResults(record!, cells))));
    expect(partial.status).toBe('cancelled');
    expect(partial.cells.map((c) => c.state)).toEqual(['completed', 'aborted', 'completed']);
    expect(partial.cells[1]).toMatchObject({ state: 'aborted', reason: k_not_finished_reason, cellId: '1:tfjs-cpu:fp32' });
    expect(partial.comparisons[0]?.ranking.map((r) => r.key)).toEqual(['0:ort-wasm:fp32', '2:tfjs-wasm:fp32']);
    again.close();
  });

  it('keeps a finished run whole; renames, deletes and clears', async () => {
    const a = await history.start(doc.plan, started);
    await history.finish(a, doc);
    const b = await history.start(doc.plan, started, { name: 'second', resumes: a });
    expect(remainingPlan(doc.plan, await history.cells(a))).toBeNull();
    expect(recordResults((await history.get(a))!, [])).toEqual(doc);
    await history.rename(a, '  laptop, Chromium  ');
    await expect(history.rename(a, ' ')).rejects.toThrow('A run needs a name');
    const listed = await history.list();
    expect(listed.map((r) => [r.name, r.status, r.resumes])).toEqual([
      ['laptop, Chromium', 'complete', undefined],
      ['second', 'interrupted', a],
    ]);
    await history.delete(a);
    expect((await history.list()).map((r) => r.id)).toEqual([b]);
    await expect(history.cells(a)).rejects.toThrow(`No run ${a}`);
    await history.saveCell(b, 0, doc.cells[0]!);
    await history.clear();
    expect(await history.list()).toEqual([]);
    await expect(history.saveCell(b, 1, doc.cells[1]!)).rejects.toThrow(`No run ${b}`);
  });

  it('records a failed run with its reason', async () => {
    const id = await history.start(doc.plan, started);
    await history.fail(id, 'the manifest could not be read');
    expect(await history.get(id)).toMatchObject({ status: 'failed', error: 'the manifest could not be read' });
  });
});

describe('storage and locks', () => {
  it('reports what the browser says, and null where it says nothing', async () => {
    const storage = { estimate: () => Promise.resolve({ usage: 2048, quota: 1e9 }), persisted: () => Promise.resolve(false), persist: () => Promise.resolve(true) };
    expect(await storageUse(storage)).toEqual({ usage: 2048, quota: 1e9, persisted: false });
    expect(await requestPersistentStorage(storage)).toBe(true);
    expect(await storageUse(undefined)).toEqual({ usage: null, quota: null, persisted: null });
    expect(await requestPersistentStorage(undefined)).toBeNull();
  });

  it('knows which runs a tab holds through Web Locks', async () => {
    const held = new Map<string, Promise<unknown>>();
    const manager = {
      request: ((name: string, callback: () => Promise<unknown>) => {
        const p = callback();
        held.set(name, p);
        void p.then(() => held.delete(name));
        return p;
      }) as unknown as LockManager['request'],
      query: () => Promise.resolve({ held: [...held.keys()].map((name) => ({ name, mode: 'exclusive' as const, clientId: 'x' })), pending: [] }),
    };
    const release = holdRunLock('run-1', manager);
    expect(await heldRunIds(manager)).toEqual(new Set(['run-1']));
    release();
    await Promise.resolve();
    await Promise.resolve();
    expect(await heldRunIds(manager)).toEqual(new Set());
    expect(await heldRunIds(undefined)).toEqual(new Set());
  });
});
