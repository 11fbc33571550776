/** Host-side shape arithmetic the operators share. */

/** NumPy-style broadcast of two shapes, as ONNX's multidirectional broadcasting defines it. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i += 1) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** A possibly negative axis made positive for a tensor of `rank`. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= Math.max(rank, 1)) throw new Error(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

export const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
