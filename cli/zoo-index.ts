import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The model ids the lab serves, read from the zoo index the server will hand
 * the page (dist/ when built, else the source public/ that a build copies), so
 * an unknown id is refused before a browser starts instead of the server's
 * index.html fallback surfacing as "Unexpected token '<'".
 */
export function zooModelIds(root: string): string[] {
  const built = join(root, 'dist', 'models', 'index.json');
  const path = existsSync(join(root, 'dist', 'index.html')) && existsSync(built) ? built : join(root, 'public', 'models', 'index.json');
  const index = JSON.parse(readFileSync(path, 'utf8')) as { models?: unknown };
  if (!Array.isArray(index.models) || !index.models.every((m) => typeof m === 'string')) {
    // The lab's own file is broken: an internal failure, not the user's input.
    throw new Error(`${path} has no "models" list of ids`);
  }
  return index.models;
}
