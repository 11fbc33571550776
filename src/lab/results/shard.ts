import type { Plan } from '../runner/plan';
import { cellId } from '../runner/plan';
import type { ResultsDocument } from './results';
import type { ShardInfo } from './run-origin';

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** "2/3" → { index: 2, count: 3 }. @throws TypeError naming the value and the form expected. */
export function parseShard(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new TypeError(`--shard "${text}" is not a shard: expected i/n with 1 ≤ i ≤ n, e.g. 1/2`);
  }
  return { index, count };
}

/**
 * The plan indices of shard i of n: every n-th cell, starting at i − 1. Round
 * robin rather than blocks, so that one engine's precisions (often the slow
 * ones together) spread over the shards; deterministic, so every CI job
 * computes the same split from the same plan.
 */
export function shardIndices(cellCount: number, shard: ShardSpec): number[] {
  return Array.from({ length: cellCount }, (_, i) => i).filter((i) => shardOf(i, shard.count) === shard.index);
}

/** Which shard (1-based) of `count` runs the plan's cell at `index`. */
export function shardOf(index: number, count: number): number {
  return (index % count) + 1;
}

/** The sub-plan a shard runs (its cells in plan order) and the plan indices they came from. */
export function shardPlan(plan: Plan, shard: ShardSpec): { plan: Plan; info: ShardInfo } {
  const cells = shardIndices(plan.cells.length, shard);
  return { plan: { ...plan, cells: cells.map((i) => plan.cells[i]!) }, info: { ...shard, cells } };
}

/**
 * A shard's results in the full plan's terms: cell ids carry the full plan's
 * indices (so shards never collide and a merge puts cells back in plan order),
 * and the document names the full plan it is a part of.
 */
export function resultsInFullPlan(results: ResultsDocument, fullPlan: Plan, info: ShardInfo): ResultsDocument {
  const rename = new Map<string, string>();
  info.cells.forEach((fullIndex, subIndex) => {
    const cell = fullPlan.cells[fullIndex]!;
    rename.set(cellId(cell, subIndex), cellId(cell, fullIndex));
  });
  const renamed = (id: string) => rename.get(id) ?? id;
  return {
    ...results,
    plan: fullPlan,
    cells: results.cells.map((c) => ({ ...c, cellId: renamed(c.cellId) })),
    comparisons: results.comparisons.map((b) => ({ ...b, ranking: b.ranking.map((r) => ({ ...r, key: renamed(r.key) })) })),
    ...(results.profiles ? { profiles: results.profiles.map((p) => ({ ...p, cellId: renamed(p.cellId) })) } : {}),
  };
}
