/**
 * JSON writing for model files: float32 values printed with the fewest digits
 * that still read back as the same float32, and arrays of plain values kept on
 * one line, so manifests and evaluation data stay small and diff well.
 */

/**
 * The shortest decimal that parses back (through Math.fround) to the same
 * float32 as `x`. Float32 needs at most 9 significant digits.
 */
export function shortestFloat32(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || Number.isInteger(f)) return f;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** Rounds every number in a nested array to {@link shortestFloat32}. */
export function float32Rows(rows: readonly (readonly number[])[]): number[][] {
  return rows.map((row) => row.map(shortestFloat32));
}

function isPlain(x: unknown): boolean {
  return x === null || typeof x !== 'object';
}

/**
 * JSON.stringify with two-space indentation, except that an array whose
 * elements are all primitives goes on one line.
 */
export function formatJson(value: unknown, indent = ''): string {
  if (isPlain(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPlain)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
