import type { z } from 'zod';

/** The parts of a zod schema's definition that lead to the keys inside it. */
interface SchemaDef {
  type: string;
  shape?: Record<string, { def: SchemaDef }>;
  innerType?: { def: SchemaDef };
  valueType?: { def: SchemaDef };
  element?: { def: SchemaDef };
  in?: { def: SchemaDef };
}

/**
 * Every object key a schema accepts, at any depth (through optional, default,
 * record, array and pipe wrappers): what a typo anywhere in a file is matched
 * against, read from the schema itself so no second list goes stale.
 */
export function schemaKeys(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const walk = (def: SchemaDef | undefined): void => {
    if (!def) return;
    for (const [key, child] of Object.entries(def.shape ?? {})) {
      keys.add(key);
      walk(child.def);
    }
    for (const next of [def.innerType, def.valueType, def.element, def.in]) walk(next?.def);
  };
  walk((schema as unknown as { def: SchemaDef }).def);
  return [...keys];
}

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
