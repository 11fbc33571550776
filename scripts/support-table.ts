/**
 * Renders the committed support matrix (e2e/expected/support-matrix.chromium.json,
 * the expected result the e2e checks) as the README's support tables: one per
 * zoo model, a row per engine (and per TF.js engine on the ONNX file), a
 * column per variant. The tables say only what the matrix says (completed,
 * or what is missing), so they cannot drift from what CI asserts.
 *
 *   npm run support:table            print the tables
 *   npm run support:table -- --readme  rewrite them between the README's markers
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENGINES, isEngineId } from '../src/lab/engines/engine-descriptors';
import { PRECISION_LABELS, PRECISIONS } from '../src/lab/engines/precision';
import type { MatrixEntry, SupportMatrixFile } from '../src/lab/results/support-matrix';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { readme: { type: 'boolean', default: false } } });
const file = JSON.parse(readFileSync(join(ROOT, 'e2e/expected/support-matrix.chromium.json'), 'utf8')) as SupportMatrixFile;

function rowLabel(row: string): string {
  const [engine = '', format] = row.split('@');
  const label = isEngineId(engine) ? ENGINES[engine].label : engine;
  return format ? `${label} (${format.toUpperCase()} import)` : label;
}

function entryText(e: MatrixEntry | undefined): string {
  if (!e) return '—';
  switch (e.state) {
    case 'completed':
      return '✓';
    case 'unavailable':
      return e.kind === 'probe' ? 'unavailable: probe' : `unavailable: ${e.kind} ${e.subject ?? ''}`.trim();
    case 'errored':
      return `✗ errored: ${e.kind}`;
    case 'aborted':
      return 'aborted';
  }
}

const lines = [
  `From \`e2e/expected/support-matrix.chromium.json\` (${file.producedOn.browser}, ${file.producedOn.date}; \`npm run support:table -- --readme\` renders it). ✓: completed, agreeing with that variant's own reference within its stored tolerance; "unavailable" names what the engine positively lacks (an operator, data type, precision or capability), or that its capability probe failed, with the probe's words below the table.`,
];
for (const [modelId, rows] of Object.entries(file.models)) {
  lines.push('', `\`${modelId}\``, '', `| engine | ${PRECISIONS.map((p) => PRECISION_LABELS[p]).join(' | ')} |`, `| --- | ${PRECISIONS.map(() => '---').join(' | ')} |`);
  for (const [row, cells] of Object.entries(rows)) lines.push(`| ${rowLabel(row)} | ${PRECISIONS.map((p) => entryText(cells[p])).join(' | ')} |`);
  const probes = new Map<string, Set<string>>();
  for (const [row, cells] of Object.entries(rows))
    for (const e of Object.values(cells)) if (e.state === 'unavailable' && e.kind === 'probe') probes.set(rowLabel(row), (probes.get(rowLabel(row)) ?? new Set()).add(e.reason ?? '?'));
  if (probes.size > 0) lines.push('', `Probes: ${[...probes].map(([row, reasons]) => `${row}: ${[...reasons].join('; ')}`).join(' · ')}`);
}
const table = lines.join('\n');
console.log(table);

if (values.readme) {
  const path = join(ROOT, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- support-matrix:start -->';
  const end = '<!-- support-matrix:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  writeFileSync(path, `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);
  console.log('\nREADME.md support tables rewritten');
}
