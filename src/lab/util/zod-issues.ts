import type { z } from 'zod';

/** Edits (insert, delete, replace) between two strings, case ignored: how far a typo is from what was meant. */
function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= y.length; j += 1) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[y.length]!;
}

/** The known key a typo most likely meant (two edits at most, case ignored), or null. */
export function closestKey(key: string, known: readonly string[]): string | null {
  let best: { key: string; distance: number } | null = null;
  for (const candidate of known) {
    const distance = editDistance(key, candidate);
    if (distance <= 2 && (best === null || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key ?? null;
}

/**
 * Formats zod issues as `path.to.field: message`, one per line, so a bad field
 * is named; an unknown key close to one of `knownKeys` says which it may have meant.
 */
export function describeZodIssues(error: z.ZodError, knownKeys: readonly string[] = []): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      const unknown = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const hints = unknown.flatMap((k) => {
        const meant = closestKey(k, knownKeys);
        return meant ? [`"${k}": did you mean "${meant}"?`] : [];
      });
      return `${where}: ${issue.message}${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`;
    })
    .join('\n');
}
