/**
 * The gallery as a static site: one self-contained index.html (styles,
 * script and data inline; a Content-Security-Policy that lets it load
 * nothing from anywhere) beside copies of the results files it was built
 * from, so any static host serves it and it opens from disk too. Pure string
 * building: the CLI writes the files.
 */
import { escapeXml as escapeHtml } from '../util/html';
import { formatMs, formatRate } from '../util/format';
import type { ResultsDocument } from '../results/results';
import type { GalleryData, GalleryRow, GalleryRun } from './gallery-rows';
import { galleryData, p50Text } from './gallery-rows';

export interface SiteFile {
  /** Relative to the site's folder. */
  path: string;
  content: string;
}

/** The dimensions a reader filters by: the attribute each row carries, and its label. */
const FILTERS = [
  { key: 'model', label: 'Model' },
  { key: 'device-class', label: 'Device class' },
  { key: 'browser', label: 'Browser' },
  { key: 'engine', label: 'Engine' },
  { key: 'variant', label: 'Variant' },
  { key: 'batch', label: 'Batch size' },
] as const;

type FilterKey = (typeof FILTERS)[number]['key'];

function dimensions(row: GalleryRow, run: GalleryRun): Record<FilterKey, string> {
  return { model: run.modelKey, 'device-class': run.deviceClass, browser: run.browser, engine: row.engine, variant: row.variant, batch: row.batchSize === null ? '' : String(row.batchSize) };
}

function dataAttributes(d: Record<FilterKey, string>): string {
  return Object.entries(d)
    .map(([k, v]) => `data-${k}="${escapeHtml(v)}"`)
    .join(' ');
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#1b1f24;padding:0 1rem}
h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #d8dee4}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.5rem 0}
th,td{text-align:left;padding:.3rem .45rem;border-bottom:1px solid #eaeef2;vertical-align:top}
.muted{color:#57606a;font-size:.85rem}.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.warn{color:#8a4b00;font-weight:600}.completed{color:#1a7f37}.errored{color:#b42318}.unavailable,.aborted{color:#57606a}
[hidden]{display:none!important}svg text{font-size:11px;font-family:system-ui,sans-serif}`;

/** Filtering and re-stacking the chart rows: the only script, inline. */
const SCRIPT = `
(function () {
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  var rowHeight = ${22};
  function apply() {
    var wanted = {};
    selects.forEach(function (s) { if (s.value !== '') wanted[s.getAttribute('data-filter')] = s.value; });
    var shown = 0;
    document.querySelectorAll('[data-row]').forEach(function (el) {
      var ok = Object.keys(wanted).every(function (k) { var v = el.getAttribute('data-' + k); return v === wanted[k] || (k === 'batch' && v === ''); });
      el.hidden = !ok;
      if (ok && el.tagName === 'TR') shown += 1;
    });
    document.getElementById('shown').textContent = String(shown);
    document.querySelectorAll('figure[data-chart]').forEach(function (figure) {
      var y = 10;
      figure.querySelectorAll('g[data-row]').forEach(function (g) {
        if (g.hidden) { g.setAttribute('display', 'none'); return; }
        g.removeAttribute('display');
        g.setAttribute('transform', 'translate(0,' + y + ')');
        y += rowHeight;
      });
      figure.querySelector('svg').setAttribute('height', String(y + 10));
      figure.hidden = y === 10;
    });
  }
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  apply();
})();`;

function filtersHtml(data: GalleryData): string {
  const values = new Map<FilterKey, Set<string>>(FILTERS.map((f) => [f.key, new Set<string>()]));
  for (const row of data.rows) {
    const d = dimensions(row, data.runs[row.run]!);
    for (const f of FILTERS) if (d[f.key] !== '') values.get(f.key)!.add(d[f.key]);
  }
  return FILTERS.map((f) => {
    const options = [...values.get(f.key)!].sort((a, b) => (f.key === 'batch' ? Number(a) - Number(b) : a.localeCompare(b)));
    return `<label>${f.label} <select data-filter="${f.key}"><option value="">all</option>${options.map((o) => `<option value="${escapeHtml(o)}">${escapeHtml(o)}</option>`).join('')}</select></label>`;
  }).join('\n');
}

function rowsHtml(data: GalleryData): string {
  return data.rows
    .map((row) => {
      const run = data.runs[row.run]!;
      const timed = row.p50 !== null;
      return `<tr data-row ${dataAttributes(dimensions(row, run))}><td>${escapeHtml(run.device)}<div class="muted">${escapeHtml(run.deviceClass)}${run.gpu ? ` · ${escapeHtml(run.gpu)}` : ''}</div></td><td>${escapeHtml(`${run.browser} ${run.browserVersion}`)}</td><td>${escapeHtml(row.cell)}</td><td>${escapeHtml(row.variant)}</td><td>${row.batchSize ?? '—'}</td><td class="${row.state}">${row.state}</td>${
        timed
          ? `<td>${escapeHtml(p50Text(row))}${row.note ? `<div class="warn">⚠ ${escapeHtml(row.note)}</div>` : ''}</td><td>${escapeHtml(formatMs(row.p95 ?? undefined))}</td><td>${escapeHtml(formatRate(row.throughput ?? 0))}</td>`
          : `<td colspan="3" class="muted">${escapeHtml(row.note)}</td>`
      }<td class="muted">${escapeHtml(run.modelKey)}</td></tr>`;
    })
    .join('\n');
}

/** Horizontal bars of P50 (with the P95 whisker), log scale, one chart per model and batch size; rows carry the filter attributes. */
function chartsHtml(data: GalleryData): string {
  const groups = new Map<string, GalleryRow[]>();
  for (const row of data.rows) {
    if (row.p50 === null || row.batchSize === null) continue;
    const key = `${data.runs[row.run]!.modelKey}|${row.batchSize}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([key, rows]) => {
      const [model, batch] = key.split('|');
      rows.sort((a, b) => a.cell.localeCompare(b.cell) || (a.p50 ?? 0) - (b.p50 ?? 0));
      const values = rows.flatMap((r) => [r.p50 ?? 0, r.p95 ?? 0]).filter((v) => v > 0);
      const lo = Math.log10(Math.min(...values)) - 0.2;
      const hi = Math.log10(Math.max(...values)) + 0.2;
      const left = 330;
      const width = 520;
      const x = (v: number) => left + ((Math.log10(Math.max(v, 1e-9)) - lo) / (hi - lo || 1)) * width;
      const bars = rows
        .map((r, i) => {
          const run = data.runs[r.run]!;
          const p50 = r.p50 ?? 0;
          const p95 = r.p95 ?? p50;
          return `<g data-row ${dataAttributes(dimensions(r, run))} transform="translate(0,${10 + i * 22})"><text x="${left - 6}" y="14" text-anchor="end">${escapeHtml(`${r.cell} · ${run.device}`)}</text><rect x="${left}" y="3" width="${Math.max(1, x(p50) - left).toFixed(1)}" height="14" fill="#2458c6"/><line x1="${x(p50).toFixed(1)}" x2="${x(p95).toFixed(1)}" y1="10" y2="10" stroke="#b42318" stroke-width="2"/><text x="${(x(p95) + 6).toFixed(1)}" y="14">${escapeHtml(formatMs(p50))}</text></g>`;
        })
        .join('');
      return `<figure data-chart><figcaption>${escapeHtml(model ?? '')}, batch ${escapeHtml(batch ?? '')}: median latency per batch (bar) and P95 (red whisker), ms, log scale; lower is better</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 90}" height="${20 + rows.length * 22}" role="img">${bars}</svg></figure>`;
    })
    .join('\n');
}

function runsHtml(data: GalleryData, dataFiles: readonly string[]): string {
  return data.runs
    .map(
      (r, i) =>
        `<tr><td>${escapeHtml(r.device)}</td><td>${escapeHtml(r.deviceClass)}</td><td>${escapeHtml(`${r.browser} ${r.browserVersion}`)}</td><td>${escapeHtml(r.gpu ?? '—')}</td><td>${escapeHtml(r.modelKey)}</td><td>${escapeHtml(r.createdAt)}</td><td><a href="${escapeHtml(dataFiles[i] ?? '')}">${escapeHtml(r.file)}</a></td></tr>`,
    )
    .join('\n');
}

/** A file name safe on any host, unique within the site. */
function dataFileNames(files: readonly { file: string }[]): string[] {
  const used = new Set<string>();
  return files.map(({ file }, i) => {
    const base = (file.split(/[\\/]/).pop() ?? `run-${i + 1}.json`).replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/\.json$/i, '');
    let name = `data/${base}.json`;
    for (let n = 2; used.has(name); n += 1) name = `data/${base}-${n}.json`;
    used.add(name);
    return name;
  });
}

/** The site's files: index.html and a copy of each results file under data/. */
export function gallerySite(files: readonly { file: string; doc: ResultsDocument }[], generatedAt: string): SiteFile[] {
  const data = galleryData(files);
  const names = dataFileNames(files);
  const devices = new Set(data.runs.map((r) => r.device)).size;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inference Lab gallery</title><style>${STYLE}</style></head>
<body>
<h1>Inference Lab gallery</h1>
<p class="muted">${data.runs.length} run(s) from ${devices} device(s), built ${escapeHtml(generatedAt)}. Each run is a results file its owner chose to share. A cell shows timings only when its outputs agreed with the model's golden outputs on that device; the P50 interval is the distribution-free 95% interval of the median across the run's interleaved rounds. Runs on different devices share no rounds: compare them by their intervals.</p>
<div class="filters" role="group" aria-label="Filters">
${filtersHtml(data)}
<span class="muted"><span id="shown">${data.rows.length}</span> of ${data.rows.length} rows shown</span>
</div>
<h2>Latency by device</h2>
${chartsHtml(data)}
<h2>Every cell</h2>
<table id="cells"><thead><tr><th>Device</th><th>Browser</th><th>Cell</th><th>Variant</th><th>Batch</th><th>State</th><th>P50 (95% interval)</th><th>P95</th><th>Throughput</th><th>Model</th></tr></thead>
<tbody>
${rowsHtml(data)}
</tbody></table>
<h2>Runs</h2>
<table id="runs"><thead><tr><th>Device</th><th>Class</th><th>Browser</th><th>GPU</th><th>Model</th><th>Run</th><th>File</th></tr></thead><tbody>
${runsHtml(data, names)}
</tbody></table>
<script>${SCRIPT}</script>
</body></html>
`;
  return [{ path: 'index.html', content: html }, ...files.map((f, i) => ({ path: names[i]!, content: `${JSON.stringify(f.doc, null, 2)}\n` }))];
}
