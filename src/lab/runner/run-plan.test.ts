import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../results/results';
import { ENGINES } from '../engines/engine-descriptors';
import { recommend } from '../results/recommendation';
import { parseRecommendationNeeds } from '../results/recommendation-needs';
import fixture from '../results/fixtures/results-chromium.json';
import type { PlanInput } from './plan';
import { parsePlan } from './plan';
import { runPlan } from './run-plan';
import { k_opened_cell } from './opened-cell.fixture';
import type { WorkerLike } from './supervisor';
import type { FromWorker, ToWorker } from './worker-protocol';

/** Each engine's true ms per call; the host runs 3× slower from round 6 on (a later stage's host state). */
const k_true_ms: Record<string, number> = { 'ort-wasm:fp32': 1, 'ort-wasm:int8': 0.8, 'tfjs-cpu:fp32': 2 };
const hostFactor = (round: number) => (round < 6 ? 1 : 3);

const opened = k_opened_cell;

/** A worker that answers at once, as a real cell would, and logs what it was asked; `fail` errors one cell's block in one round. */
function fakeWorkers(log: string[], fail?: { key: string; round: number }) {
  return (): WorkerLike => {
    let key = '';
    let cellId = '';
    const worker: WorkerLike = {
      onmessage: null,
      onerror: null,
      postMessage(message: ToWorker) {
        const answer = (m: FromWorker) => queueMicrotask(() => worker.onmessage?.({ data: m } as MessageEvent<FromWorker>));
        if (message.type === 'open') {
          key = `${message.job.cell.engine}:${message.job.cell.precision}`;
          cellId = message.job.cellId;
          log.push(`open ${cellId}`);
          // WebNN is missing here, as on this machine: the cell ends while opening.
          if (message.job.cell.engine === 'ort-webnn') {
            const { engine, precision } = message.job.cell;
            answer({ type: 'cell-result', runId: message.job.runId, result: { cellId, engine, precision, descriptor: ENGINES[engine], phases: {}, wallMs: 1, state: 'unavailable', reason: 'no WebNN' } });
          } else answer({ type: 'opened', runId: message.job.runId, opened });
        } else if (message.type === 'block') {
          log.push(`block ${cellId} r${message.round}`);
          if (fail?.key === key && fail.round === message.round) {
            const [engine, precision] = key.split(':') as ['ort-wasm', 'fp32'];
            answer({ type: 'cell-result', runId: message.runId, result: { cellId, engine, precision, descriptor: ENGINES[engine], phases: {}, wallMs: 1, state: 'errored', error: { kind: 'run-failed', message: 'failed on purpose' } } });
            return;
          }
          // A little scatter within each round, the same for every cell, so intervals are finite.
          const ms = (k_true_ms[key] ?? 1) * hostFactor(message.round) * (1 + 0.01 * (message.round % 3));
          answer({ type: 'block-done', runId: message.runId, block: { samplesMs: [ms, ms, ms], callsPerSample: 1 } });
        } else if (message.type === 'close') {
          log.push(`close ${cellId}`);
          answer({ type: 'closed', runId: message.runId });
        }
      },
      terminate() {},
    };
    return worker;
  };
}

const manifest = readFileSync(new URL('../../../public/models/cps-wage/manifest.json', import.meta.url));

async function run(plan: PlanInput, log: string[], fail?: { key: string; round: number }): Promise<ResultsDocument> {
  return runPlan(parsePlan(plan), {
    runId: 1,
    appBaseUrl: 'http://127.0.0.1/',
    device: fixture.device as unknown as ResultsDocument['device'],
    createWorker: fakeWorkers(log, fail),
    localModel: () => ({ files: { 'manifest.json': new Blob([manifest]) } }),
  });
}

const cells = [
  { engine: 'ort-wasm', precision: 'fp32' },
  { engine: 'tfjs-cpu', precision: 'fp32' },
  { engine: 'ort-wasm', precision: 'int8' },
  { engine: 'ort-webnn', precision: 'fp32' },
] as const;
const base: PlanInput = { schemaVersion: 1, modelId: 'cps-wage', cells: [...cells], batchSizes: [1], rules: 'quick' };

describe('runPlan staged per engine', () => {
  it('opens, samples and closes one engine at a time, the bridge sampled in every round and closed last', async () => {
    const log: string[] = [];
    const doc = await run({ ...base, stages: 'per-engine' }, log);
    // The second engine opens only after the first engine's other cell has finished.
    expect(log.indexOf('open 1:tfjs-cpu:fp32')).toBeGreaterThan(log.indexOf('close 2:ort-wasm:int8'));
    expect(log.at(-1)).toBe('close 0:ort-wasm:fp32');
    // The WebNN stage opened nothing, so it sampled nothing (not even the bridge).
    expect(log.indexOf('open 3:ort-webnn:fp32')).toBeGreaterThan(log.indexOf('close 1:tfjs-cpu:fp32'));
    expect(doc.cells[3]?.state).toBe('unavailable');
    const rounds = (id: string) => log.filter((l) => l.startsWith(`block ${id} `)).map((l) => Number(l.split(' r')[1]));
    expect(rounds('0:ort-wasm:fp32')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(rounds('2:ort-wasm:int8')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rounds('1:tfjs-cpu:fp32')).toEqual([6, 7, 8, 9, 10, 11]);
    expect(doc.timing.staged).toEqual({ stages: 2, roundsPerStage: 6, bridge: '0:ort-wasm:fp32' });
    expect(doc.timing.rounds).toBe(12);
    const tfjs = doc.cells[1];
    expect(tfjs?.state === 'completed' && tfjs.batches[0]?.roundIds).toEqual([6, 7, 8, 9, 10, 11]);
  });

  it('compares cells of two stages through the bridge: the later stage\'s slower host does not count against them', async () => {
    const doc = await run({ ...base, stages: 'per-engine' }, []);
    const ranking = doc.comparisons[0]!.ranking;
    expect(ranking.map((r) => r.key)).toEqual(['2:ort-wasm:int8', '0:ort-wasm:fp32', '1:tfjs-cpu:fp32']);
    const tfjs = ranking[2]!.vsFastest!;
    // 2 ms against 0.8 ms: 2.5×, though tfjs's own medians were taken on a host 3× slower (6 ms).
    expect(tfjs.ratio).toBeCloseTo(2.5, 6);
    expect(tfjs.bridged).toBe(true);
    expect(tfjs.verdict).toBe('slower');
    // The recommendation's ties read the same bridge (time-ratio.ts).
    const rec = recommend([doc], parseRecommendationNeeds({ objective: { kind: 'latency', percentile: 'p50', maxMs: 100, batchSize: 1 }, pricePerHour: { cpu: 0.1, gpu: 1 } }));
    const lost = rec.runnersUp.find((c) => c.cellId === '1:tfjs-cpu:fp32');
    expect(lost?.vsBest?.method).toBe('bridged-rounds');
    expect(lost?.vsBest?.ratio).toBeCloseTo(2.5, 6);
  });

  it('stops a stage whose cells were all lost rather than sample the bridge alone', async () => {
    const log: string[] = [];
    const doc = await run({ ...base, stages: 'per-engine' }, log, { key: 'tfjs-cpu:fp32', round: 6 });
    expect(doc.cells[1]?.state).toBe('errored');
    expect(log.filter((l) => l.startsWith('block 0:ort-wasm:fp32 ')).map((l) => l.split(' r')[1])).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('says when the bridge did not complete, and then ranks no cell of another stage against the first', async () => {
    const doc = await run({ ...base, stages: 'per-engine' }, [], { key: 'ort-wasm:fp32', round: 8 });
    expect(doc.cells[0]?.state).toBe('errored');
    expect(doc.timing.staged?.bridge).toBeNull();
    // INT8 (stage 1) and TF.js CPU (stage 2) shared no round and nothing bridges them: the ranking keeps the first
    // completed cell in plan order (TF.js CPU) and leaves INT8 unranked, never a ratio across stages.
    expect(doc.comparisons[0]!.ranking.map((r) => r.key)).toEqual(['1:tfjs-cpu:fp32']);
  });

  it('keeps one stage, every cell in every round, when the plan does not ask for stages', async () => {
    const log: string[] = [];
    const doc = await run(base, log);
    expect(log.slice(0, 4)).toEqual(['open 0:ort-wasm:fp32', 'open 1:tfjs-cpu:fp32', 'open 2:ort-wasm:int8', 'open 3:ort-webnn:fp32']);
    expect(doc.timing.staged).toBeUndefined();
    expect(doc.cells.map((c) => c.state)).toEqual(['completed', 'completed', 'completed', 'unavailable']);
    expect(doc.cells.every((c) => c.state !== 'completed' || c.batches[0]?.roundIds === undefined)).toBe(true);
  });
});
