import { describeEngineVersions } from '../src/lab/device/device-report';
import { cellName } from '../src/lab/results/cell-name';
import { toleranceLabel } from '../src/lab/runner/tolerance';
import type { KernelProfileOutcome } from '../src/lab/profiles/kernel-profile';
import { k_profile_disclosure, PROFILE_SOURCE_WORDS } from '../src/lab/profiles/kernel-profile';
import type { Check } from '../src/lab/results/checks';
import { FIGURES } from '../src/lab/results/figures';
import type { MergedComparison } from '../src/lab/results/merge';
import type { CellResult, ResultsDocument } from '../src/lab/results/results';
import type { Recommendation } from '../src/lab/results/recommendation';
import { recommendationCard } from '../src/lab/results/recommendation-card';
import { formatMs } from '../src/lab/util/format';
import { escapeXml as esc } from '../src/lab/util/html';
import type { MissingRun, SuiteInput } from './junit';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1b1f24;padding:0 1rem}
h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #d8dee4}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.5rem 0}
th,td{text-align:left;padding:.3rem .45rem;border-bottom:1px solid #eaeef2;vertical-align:top}
.pass{color:#1a7f37}.fail{color:#b42318;font-weight:600}.skip{color:#57606a}
.completed{color:#1a7f37}.errored{color:#b42318}.unavailable,.aborted{color:#57606a}
.warn{color:#8a4b00;font-weight:600}.card{border:1px solid #d8dee4;border-radius:8px;padding:.6rem 1rem;margin:.8rem 0}.card .headline{font-size:1.05rem;font-weight:600}.v-recommended{color:#1a7f37;font-weight:600}.v-tie{color:#1a7f37}.muted{color:#57606a;font-size:.85rem}pre{background:#f6f8fa;padding:.8rem;overflow:auto;font-size:.8rem}
svg text{font-size:11px;font-family:system-ui,sans-serif}
.side{display:flex;flex-wrap:wrap;gap:1rem}.side figure{margin:0}`;

/** Horizontal bars of P50 with a P95 whisker, log scale, one chart per batch size. */
function latencySvg(cells: readonly CellResult[], batchSize: number): string {
  const rows = cells.flatMap((c) =>
    c.state === 'completed'
      ? c.batches.filter((b) => b.batchSize === batchSize).map((b) => ({ label: cellName(c), p50: b.stats.p50, p95: b.stats.p95 }))
      : [],
  );
  if (rows.length === 0) return '';
  const values = rows.flatMap((r) => [r.p50, r.p95]).filter((v) => v > 0);
  const lo = Math.log10(Math.min(...values)) - 0.2;
  const hi = Math.log10(Math.max(...values)) + 0.2;
  const left = 150;
  const width = 560;
  const rowH = 22;
  const x = (v: number) => left + ((Math.log10(Math.max(v, 1e-9)) - lo) / (hi - lo)) * width;
  const bars = rows
    .map((r, i) => {
      const y = 10 + i * rowH;
      return `<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(r.label)}</text>
<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(r.p50) - left).toFixed(1)}" height="14" fill="#2458c6"/>
<line x1="${x(r.p50).toFixed(1)}" x2="${x(r.p95).toFixed(1)}" y1="${y + 10}" y2="${y + 10}" stroke="#b42318" stroke-width="2"/>
<text x="${(x(r.p95) + 6).toFixed(1)}" y="${y + 14}">${esc(formatMs(r.p50))} (P95 ${esc(formatMs(r.p95))})</text>`;
    })
    .join('\n');
  const height = 20 + rows.length * rowH;
  return `<figure><figcaption>Batch ${batchSize}: P50 (bar) and P95 (red whisker), ms per batch, log scale</figcaption>
<svg width="${left + width + 170}" height="${height}" role="img">${bars}</svg></figure>`;
}

/** The recommendation card: the same words and rows as the page's (recommendation-card.ts). */
export function recommendationHtml(r: Recommendation): string {
  const card = recommendationCard(r);
  const rows = card.rows
    .map((x) => `<tr><td>${esc(x.label)}</td>${card.manyDevices ? `<td>${esc(x.device)}</td>` : ''}<td class="v-${x.verdict}">${esc(x.verdictText)}</td><td>${esc(x.cost)}</td><td>${esc(x.why)}</td></tr>`)
    .join('');
  return `<div class="card" data-testid="recommendation"><p class="headline ${card.status === 'recommended' ? 'pass' : 'fail'}">${esc(card.headline)}</p>
<ul class="muted">${card.needs.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<table><thead><tr><th>Configuration</th>${card.manyDevices ? '<th>Device</th>' : ''}<th>Verdict</th><th>Cost / 1M</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table>
${card.notes.map((n) => `<p class="muted">${esc(n)}</p>`).join('')}</div>`;
}

function checksTable(checks: readonly Check[]): string {
  const order = { fail: 0, skip: 1, pass: 2 } as const;
  const sorted = [...checks].sort((a, b) => order[a.status] - order[b.status]);
  return `<table><thead><tr><th>Verdict</th><th>Check</th><th>Detail</th></tr></thead><tbody>${sorted
    .map((c) => `<tr><td class="${c.status}">${c.status}</td><td>${esc(c.name)}</td><td>${esc(c.message)}</td></tr>`)
    .join('')}</tbody></table>`;
}

/** One row per completed cell × batch size, one column per figure in the core's registry (the same figures as the page's table). */
function cellsTable(cells: readonly CellResult[]): string {
  const columns = FIGURES.length;
  const rows = cells.flatMap((c) => {
    const head = `<td>${esc(c.cellId)}<div class="muted">${esc(c.runtime ? `${c.runtime.bundle}${c.runtime.wasmFile ? ` · ${c.runtime.wasmFile}` : ''}${c.runtime.threads > 0 ? ` · ${c.runtime.threads} thread(s)` : ''}` : c.descriptor.bundle)}</div>${c.runtime?.fallback ? `<div class="warning">⚠ fallback: ${esc(c.runtime.fallback)}</div>` : ''}</td><td class="${c.state}">${c.state}</td>`;
    if (c.state !== 'completed') {
      const why = c.state === 'errored' ? `${c.error.kind}: ${c.error.message}` : c.reason;
      return [`<tr>${head}<td colspan="${columns + 1}">${esc(why)}</td></tr>`];
    }
    const loosened = toleranceLabel(c.tolerance);
    return c.batches.map((b) => {
      const values = FIGURES.map((f) => {
        const value = f.scope === 'batch' ? f.value(c, b) : f.value(c);
        const shown = value === null ? '—' : esc(f.format(value));
        return `<td>${shown}${f.id === 'max-abs-diff' && loosened ? `<div class="warn">⚠ ${esc(loosened)}</div>` : ''}</td>`;
      });
      return `<tr>${head}<td>${b.batchSize}</td>${values.join('')}</tr>`;
    });
  });
  const headers = FIGURES.map((f) => `<th title="${esc(f.note)}">${esc(f.label)}</th>`).join('');
  return `<table><thead><tr><th>Cell</th><th>State</th><th>Batch</th>${headers}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function deviceTable(r: ResultsDocument): string {
  const d = r.device;
  const cap = (c: { status: string; reason?: string }, detail: string) => (c.status === 'available' ? detail : `unavailable: ${c.reason ?? ''}`);
  const o = r.origin;
  const rows: [string, string][] = [
    ...(o
      ? ([
          ['Browser build', `${o.browser.name} ${o.browser.version} · ${o.browser.driver}${o.browser.endpoint ? ` · ${o.browser.endpoint}` : ''}`],
          ['Network', o.network],
          ...(o.notes.length > 0 ? [['How it ran', o.notes.join('; ')] as [string, string]] : []),
          ...(o.host ? [['Host', `${o.host.logicalCpus} logical CPUs (${o.host.platform})`] as [string, string]] : []),
        ] as [string, string][])
      : []),
    ['Browser (as the page sees it)', `${d.browser.name} ${d.browser.version} (${d.browser.platform})`],
    ['Engines', describeEngineVersions(d.engines)],
    ['Cores', String(d.hardwareConcurrency)],
    ['Cross-origin isolated', String(d.crossOriginIsolated)],
    ['Timer step', formatMs(d.timer.stepMs)],
    ['wasm SIMD / threads / relaxed SIMD / JSPI', `${d.wasmSimd.status} / ${d.wasmThreads.status} / ${d.wasmRelaxedSimd?.status ?? 'not probed'} / ${d.jspi?.status ?? 'not probed'}`],
    ['WebGL', cap(d.webgl, d.webgl.status === 'available' ? `${d.webgl.detail.renderer}${d.webgl.detail.software === true ? ' (software)' : d.webgl.detail.software === null ? ' (masked name: hardware or software unknown)' : ''}` : '')],
    ...(d.webglInWorker ? [['WebGL in workers', cap(d.webglInWorker, 'WebGL 2 in a worker')] as [string, string]] : []),
    [
      'WebGPU',
      cap(
        d.webgpu,
        d.webgpu.status === 'available'
          ? `${d.webgpu.detail.vendor} ${d.webgpu.detail.architecture}${d.webgpu.detail.isFallbackAdapter ? ' (fallback adapter)' : ''}; features ${d.webgpu.detail.features.join(', ')}`
          : '',
      ),
    ],
    ['WebNN', cap(d.webnn, 'context created')],
  ];
  return `<table><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;
}

/** One self-contained page (no scripts, no external files) for CI artifacts. */
/** Top kernels per profiled cell, as shares of the profiled kernel time. */
function profilesTable(profiles: readonly KernelProfileOutcome[]): string {
  const rows = profiles
    .map((p) => {
      const what =
        p.state === 'profiled'
          ? `${p.summary.top.map((k) => `${esc(k.name)} ${(k.share * 100).toFixed(1)}%`).join(', ')}${p.summary.others.kinds ? `, ${p.summary.others.kinds} others ${(p.summary.others.share * 100).toFixed(1)}%` : ''}<div class="muted">${esc(PROFILE_SOURCE_WORDS[p.summary.source])}${p.summary.note ? `; ${esc(p.summary.note)}` : ''}</div>`
          : `<span class="${p.state}">${p.state}</span>: ${esc(p.state === 'errored' ? p.message : p.reason)}`;
      return `<tr><td>${esc(p.cellId)}</td><td>${p.batchSize}</td><td>${what}</td></tr>`;
    })
    .join('');
  return `<p class="muted">${esc(k_profile_disclosure)}</p><table><thead><tr><th>Cell</th><th>Batch</th><th>Top kernels</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const STATE_MARK: Record<string, string> = { unavailable: 'unavailable', errored: 'errored', aborted: 'aborted' };

/** The merge's browser × cell table: medians only where a run's outputs agreed, the state and reason elsewhere. */
function acrossRunsTable(comparison: MergedComparison): string {
  const head = comparison.labels.map((l) => `<th>${esc(l)}</th>`).join('');
  const rows = comparison.rows
    .map((row) => {
      const cells = comparison.labels
        .map((label) => {
          const e = row.entries[label];
          if (!e) return '<td class="muted">not in this run\'s plan</td>';
          if (e.state === 'completed') return `<td class="completed">P50 ${esc(formatMs(e.p50))}<div class="muted">P95 ${esc(formatMs(e.p95))} · max|Δ| ${e.maxAbsDiff.toExponential(1)}</div></td>`;
          return `<td class="${e.state}">${STATE_MARK[e.state] ?? e.state}<div class="muted">${esc(e.reason)}</div></td>`;
        })
        .join('');
      return `<tr><td>${esc(row.key)}</td><td>${row.batchSize}</td>${cells}</tr>`;
    })
    .join('');
  return `<p class="muted">${esc(comparison.note)}</p><table><thead><tr><th>Cell</th><th>Batch</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** One latency chart per run, side by side, per batch size. */
function sideBySideCharts(suites: readonly SuiteInput[]): string {
  const batches = [...new Set(suites.flatMap((s) => s.results.plan.batchSizes))].sort((a, b) => a - b);
  return batches
    .map((b) => `<h3>Batch ${b}</h3><div class="side">${suites.map((s) => `<div><strong>${esc(s.browser)}</strong>${latencySvg(s.results.cells, b) || '<p class="muted">no completed cell</p>'}</div>`).join('')}</div>`)
    .join('\n');
}

export function toHtmlReport(suites: readonly SuiteInput[], comparison?: MergedComparison, missing: readonly MissingRun[] = []): string {
  const failed = suites.reduce((n, s) => n + s.checks.filter((c) => c.status === 'fail').length, 0);
  const verdict = [missing.length > 0 ? `${missing.length} run(s) gave no results` : '', failed > 0 ? `${failed} check(s) failed` : ''].filter(Boolean).join(' · ');
  const missingHtml =
    missing.length > 0 ? `<h2>Runs with no results</h2><ul>${missing.map((m) => `<li class="fail"><strong>${esc(m.browser)}</strong>: ${esc(m.message)}</li>`).join('')}</ul>` : '';
  const sections = suites
    .map(
      ({ browser, results, checks }) => `<h2 id="run-${esc(browser)}">${esc(browser)} · ${esc(results.model.name)}${results.origin ? ` · ${esc(results.origin.browser.name)} ${esc(results.origin.browser.version)}` : ''}</h2>
<p class="muted">Run ${esc(results.createdAt)} · ${esc(results.status)} · ${(results.wallMs / 1000).toFixed(1)} s · golden outputs by ${esc(
        results.model.goldenComputedBy,
      )}, tolerance ${results.model.tolerance}${results.model.reference ? ` · ${esc(results.model.reference.note)}` : ''}</p>
${results.recommendation ? `<h3>Recommendation</h3>${recommendationHtml(results.recommendation)}` : ''}
<h3>Checks</h3>${checksTable(checks)}
<h3>Cells</h3><p class="muted">Timings are shown only for cells whose outputs agreed with the golden outputs.</p>${cellsTable(results.cells)}
${results.plan.batchSizes.map((b) => latencySvg(results.cells, b)).join('\n')}
${results.profiles ? `<h3>Kernel profiles</h3>${profilesTable(results.profiles)}` : ''}
<h3>Device</h3>${deviceTable(results)}
<details><summary>Plan</summary><pre>${esc(JSON.stringify(results.plan, null, 2))}</pre></details>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Inference Lab report</title><style>${STYLE}</style></head>
<body><h1>Inference Lab report</h1><p class="${verdict ? 'fail' : 'pass'}">${verdict || 'All checks hold'}</p>
${missingHtml}
${comparison ? `<h2>Across browsers and devices: ${esc(comparison.labels.join(' · '))}</h2>${acrossRunsTable(comparison)}${sideBySideCharts(suites)}` : ''}
${sections}</body></html>
`;
}
