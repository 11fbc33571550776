/**
 * A tree ensemble's attributes (ai.onnx.ml TreeEnsembleClassifier /
 * TreeEnsembleRegressor) compiled into dense tables, so that every tree is
 * evaluated at once with gathers, comparisons and batched matrix products
 * (the "GEMM" strategy of tree compilers such as Hummingbird) — operations
 * every TF.js backend has, with no data-dependent control flow:
 *
 *   decisions  D[n, t, i] = (x[n, feature[t, i]] ⋈ threshold[t, i])      (0 or 1)
 *   path sums  S[t, n, l] = Σᵢ D[n, t, i] · path[t, i, l]                 (path: +1 true side, −1 false side)
 *   leaf hit   H[t, n, l] = S[t, n, l] == trueTurns[t, l]                 (exactly one leaf per tree)
 *   scores     Σₜ H[t] · weights[t]                                        ([N, outputs])
 *
 * Every quantity but the weight sums is a small integer, exact in float32 on
 * any backend; thresholds given as doubles are turned into the float32
 * threshold that decides every float32 input the same way.
 */
import type { NodeAttributes } from '../attributes';

export const BRANCH_MODES = Object.freeze(['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'] as const);
export type BranchMode = (typeof BRANCH_MODES)[number];

export interface TreeTables {
  trees: number;
  /** Branch nodes per tree (padded to the largest; at least 1). */
  branches: number;
  /** Leaves per tree (padded to the largest). */
  leaves: number;
  /** Score columns: classes or targets. */
  outputs: number;
  /** Largest feature index a branch reads. */
  maxFeature: number;
  feature: Int32Array;
  threshold: Float32Array;
  /** The comparison of every branch, when the trees mix modes; `mode` otherwise. */
  modeMasks: Map<BranchMode, Float32Array> | null;
  mode: BranchMode;
  /** 1 where a missing (NaN) input takes the true branch. */
  missingTrue: Float32Array | null;
  path: Float32Array;
  trueTurns: Float32Array;
  weights: Float32Array;
  /** 1 where a leaf carries a weight for that column: onnxruntime tracks which classes a row's leaves scored. */
  scored: Float32Array;
  /** Every weight ≥ 0 (onnxruntime's binary case reads it). */
  weightsAllPositive: boolean;
  /** The distinct columns the weights name. */
  columnsUsed: Set<number>;
}

const k_f32 = new Float32Array(1);
const k_u32 = new Uint32Array(k_f32.buffer);

/** The next float32 towards −∞ (or +∞) from a finite float32. */
function nextFloat32(f: number, direction: -1 | 1): number {
  if (f === 0) return direction * 1.401298464324817e-45;
  k_f32[0] = f;
  k_u32[0] = (k_u32[0] ?? 0) + ((f > 0) === (direction > 0) ? 1 : -1);
  return k_f32[0] ?? f;
}

/**
 * The float32 threshold that compares every float32 input as the double `t`
 * would: x ≤ t ⟺ x ≤ ⌊t⌋₃₂, x < t ⟺ x < ⌈t⌉₃₂ (and their mirrors); equality
 * with a double that no float32 equals never holds (NaN gives that).
 */
export function float32Threshold(t: number, mode: BranchMode): number {
  const f = Math.fround(t);
  if (f === t || !Number.isFinite(t)) return f;
  const below = f > t ? nextFloat32(f, -1) : f;
  const above = f < t ? nextFloat32(f, 1) : f;
  switch (mode) {
    case 'BRANCH_LEQ':
    case 'BRANCH_GT':
      return below;
    case 'BRANCH_LT':
    case 'BRANCH_GTE':
      return above;
    case 'BRANCH_EQ':
    case 'BRANCH_NEQ':
      return Number.NaN;
  }
}

interface NodeSpec {
  mode: BranchMode | 'LEAF';
  feature: number;
  value: number;
  trueId: number;
  falseId: number;
  missingTrue: boolean;
}

/** Numbers from a float attribute or its `_as_tensor` twin (doubles, read exactly). */
function floatsOrTensor(attrs: NodeAttributes, name: string): number[] | undefined {
  return attrs.floats(name) ?? attrs.numbers(`${name}_as_tensor`);
}

export interface WeightAttributes {
  /** Prefix of the weight attributes: `class` (classifier) or `target` (regressor). */
  prefix: 'class' | 'target';
  outputs: number;
}

/** Compiles the attributes, or says what it cannot take (a string: the reason). */
export function compileTrees(attrs: NodeAttributes, { prefix, outputs }: WeightAttributes): TreeTables | string {
  const treeIds = attrs.ints('nodes_treeids') ?? [];
  const nodeIds = attrs.ints('nodes_nodeids') ?? [];
  const features = attrs.ints('nodes_featureids') ?? [];
  const modes = attrs.strings('nodes_modes') ?? [];
  const values = floatsOrTensor(attrs, 'nodes_values') ?? [];
  const trues = attrs.ints('nodes_truenodeids') ?? [];
  const falses = attrs.ints('nodes_falsenodeids') ?? [];
  const missing = attrs.ints('nodes_missing_value_tracks_true') ?? [];
  const n = treeIds.length;
  if (n === 0) return 'no tree nodes';
  for (const [name, list] of [['nodes_nodeids', nodeIds], ['nodes_featureids', features], ['nodes_modes', modes], ['nodes_values', values], ['nodes_truenodeids', trues], ['nodes_falsenodeids', falses]] as const) {
    if (list.length !== n) return `${name} has ${list.length} entries for ${n} nodes`;
  }
  if (missing.length !== 0 && missing.length !== n) return `nodes_missing_value_tracks_true has ${missing.length} entries for ${n} nodes`;

  const byTree = new Map<number, Map<number, NodeSpec>>();
  for (let i = 0; i < n; i += 1) {
    const mode = modes[i] ?? '';
    if (mode !== 'LEAF' && !(BRANCH_MODES as readonly string[]).includes(mode)) return `node mode ${mode}`;
    const tree = byTree.get(treeIds[i] ?? 0) ?? new Map<number, NodeSpec>();
    byTree.set(treeIds[i] ?? 0, tree);
    tree.set(nodeIds[i] ?? 0, { mode: mode as NodeSpec['mode'], feature: features[i] ?? 0, value: values[i] ?? 0, trueId: trues[i] ?? 0, falseId: falses[i] ?? 0, missingTrue: (missing[i] ?? 0) === 1 });
  }

  const wTrees = attrs.ints(`${prefix}_treeids`) ?? [];
  const wNodes = attrs.ints(`${prefix}_nodeids`) ?? [];
  const wIds = attrs.ints(`${prefix}_ids`) ?? [];
  const wValues = floatsOrTensor(attrs, `${prefix}_weights`) ?? [];
  if (wNodes.length !== wTrees.length || wIds.length !== wTrees.length || wValues.length !== wTrees.length) return `the ${prefix}_* weight attributes differ in length`;
  const leafWeights = new Map<string, { column: number; weight: number }[]>();
  const columnsUsed = new Set<number>();
  for (let k = 0; k < wTrees.length; k += 1) {
    const column = wIds[k] ?? 0;
    if (column < 0 || column >= outputs) return `a weight names column ${column} of ${outputs}`;
    const node = byTree.get(wTrees[k] ?? 0)?.get(wNodes[k] ?? 0);
    if (!node) return `a weight names node ${wNodes[k]} of tree ${wTrees[k]}, which does not exist`;
    if (node.mode !== 'LEAF') return `a weight sits on branch node ${wNodes[k]} of tree ${wTrees[k]}`;
    const key = `${wTrees[k]}:${wNodes[k]}`;
    leafWeights.set(key, [...(leafWeights.get(key) ?? []), { column, weight: wValues[k] ?? 0 }]);
    columnsUsed.add(column);
  }

  // Walk each tree from its root (the one node no branch points to), numbering branches and leaves.
  interface Walked { branches: NodeSpec[]; leaves: { key: string; turns: [number, 1 | -1][] }[] }
  const walked: Walked[] = [];
  for (const [treeId, nodes] of [...byTree].sort((a, b) => a[0] - b[0])) {
    const children = new Set<number>();
    for (const node of nodes.values()) if (node.mode !== 'LEAF') children.add(node.trueId).add(node.falseId);
    const roots = [...nodes.keys()].filter((id) => !children.has(id));
    if (roots.length !== 1) return `tree ${treeId} has ${roots.length} roots`;
    const tree: Walked = { branches: [], leaves: [] };
    const stack: { id: number; turns: [number, 1 | -1][] }[] = [{ id: roots[0] ?? 0, turns: [] }];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const { id, turns } = stack.pop() ?? { id: 0, turns: [] };
      const node = nodes.get(id);
      if (!node) return `tree ${treeId} points to node ${id}, which does not exist`;
      if (seen.has(id)) return `tree ${treeId} reaches node ${id} twice (not a tree)`;
      seen.add(id);
      if (node.mode === 'LEAF') {
        tree.leaves.push({ key: `${treeId}:${id}`, turns });
        continue;
      }
      const b = tree.branches.length;
      tree.branches.push(node);
      stack.push({ id: node.falseId, turns: [...turns, [b, -1]] }, { id: node.trueId, turns: [...turns, [b, 1]] });
    }
    walked.push(tree);
  }

  const trees = walked.length;
  const branches = Math.max(1, ...walked.map((t) => t.branches.length));
  const leaves = Math.max(1, ...walked.map((t) => t.leaves.length));
  const modesUsed = new Set(walked.flatMap((t) => t.branches.map((b) => b.mode as BranchMode)));
  const mode: BranchMode = [...modesUsed][0] ?? 'BRANCH_LEQ';
  const feature = new Int32Array(trees * branches);
  const threshold = new Float32Array(trees * branches);
  const modeMasks = modesUsed.size > 1 ? new Map([...modesUsed].map((m) => [m, new Float32Array(trees * branches)])) : null;
  const anyMissing = walked.some((t) => t.branches.some((b) => b.missingTrue));
  const missingTrue = anyMissing ? new Float32Array(trees * branches) : null;
  const path = new Float32Array(trees * branches * leaves);
  const trueTurns = new Float32Array(trees * leaves).fill(-1);
  const weights = new Float32Array(trees * leaves * outputs);
  const scored = new Float32Array(trees * leaves * outputs);
  let maxFeature = 0;
  walked.forEach((tree, t) => {
    tree.branches.forEach((b, i) => {
      const at = t * branches + i;
      feature[at] = b.feature;
      maxFeature = Math.max(maxFeature, b.feature);
      threshold[at] = float32Threshold(b.value, b.mode as BranchMode);
      modeMasks?.get(b.mode as BranchMode)?.set([1], at);
      if (missingTrue && b.missingTrue) missingTrue[at] = 1;
    });
    tree.leaves.forEach((leaf, l) => {
      trueTurns[t * leaves + l] = leaf.turns.filter(([, side]) => side === 1).length;
      for (const [i, side] of leaf.turns) path[(t * branches + i) * leaves + l] = side;
      for (const { column, weight } of leafWeights.get(leaf.key) ?? []) {
        weights[(t * leaves + l) * outputs + column] = (weights[(t * leaves + l) * outputs + column] ?? 0) + weight;
        scored[(t * leaves + l) * outputs + column] = 1;
      }
    });
  });
  return {
    trees, branches, leaves, outputs, maxFeature, feature, threshold, modeMasks, mode, missingTrue, path, trueTurns, weights, scored,
    weightsAllPositive: wValues.every((w) => w >= 0),
    columnsUsed,
  };
}
