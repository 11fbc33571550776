/**
 * The recommendation as a card: the same words and rows wherever it is shown
 * (the page, the CLI's HTML report, the gallery), so only the markup differs.
 */
import { HARDWARE_LABELS } from '../engines/hardware';
import { formatMoney, formatMs, formatRate } from '../util/format';
import { figure } from './figures';
import type { LossKind, Recommendation } from './recommendation';
import { formatRatio } from './time-ratio';

export type CardVerdict = 'recommended' | 'tie' | LossKind;

export interface CardRow {
  label: string;
  device: string;
  verdict: CardVerdict;
  /** "recommended", "tie", "too slow", "outside drift budget", … */
  verdictText: string;
  cost: string;
  why: string;
}

export interface RecommendationCard {
  status: Recommendation['status'];
  headline: string;
  /** What was asked, in words. */
  needs: string[];
  rows: CardRow[];
  notes: string[];
  /** Whether rows come from more than one device (show the device column). */
  manyDevices: boolean;
}

export const VERDICT_WORDS: Readonly<Record<CardVerdict, string>> = Object.freeze({
  recommended: 'recommended',
  tie: 'tie',
  costlier: 'costs more',
  'too-slow': 'too slow',
  'outside-drift-budget': 'outside drift budget',
  'drift-not-measured': 'drift not measured',
  'not-measured': 'not measured',
  unavailable: 'unavailable here',
  errored: 'errored',
  aborted: 'aborted',
});

function needsWords(r: Recommendation): string[] {
  const { objective: o, drift: d, pricePerHour: p } = r.needs;
  const out = [
    o.kind === 'latency' ? `Latency: ${figure(o.percentile).label} ≤ ${formatMs(o.maxMs)} at batch ${o.batchSize}` : `Throughput: at least ${formatRate(o.minRowsPerSec)} rows on one device`,
  ];
  const drift = [
    d.maxFlipRate !== undefined ? `flip rate ≤ ${(d.maxFlipRate * 100).toFixed(2)}%` : null,
    d.maxAccuracyDrop !== undefined ? `accuracy drop ≤ ${(d.maxAccuracyDrop * 100).toFixed(1)} pts` : null,
    d.minAttributionRankCorrelation !== undefined ? `attribution rank correlation ≥ ${d.minAttributionRankCorrelation}` : null,
    d.maxTruePositiveRateGap !== undefined ? `true-positive-rate gap ≤ ${(d.maxTruePositiveRateGap * 100).toFixed(1)} pts` : null,
  ].filter((x): x is string => x !== null);
  out.push(drift.length > 0 ? `Drift budget, in every slice: ${drift.join(', ')}` : 'Drift budget: none');
  out.push(`Price per hour: ${Object.entries(p).map(([k, v]) => `${HARDWARE_LABELS[k as keyof typeof HARDWARE_LABELS]} ${formatMoney(v)}`).join(', ')}`);
  return out;
}

export function recommendationCard(r: Recommendation): RecommendationCard {
  const rows: CardRow[] = [];
  const cost = (x: number | undefined) => (x === undefined ? '—' : formatMoney(x));
  if (r.best) rows.push({ label: r.best.label, device: r.best.device, verdict: 'recommended', verdictText: VERDICT_WORDS.recommended, cost: cost(r.best.costPerMillion), why: `${HARDWARE_LABELS[r.best.hardware]} at ${formatMoney(r.best.pricePerHour)}/h${r.best.hardwareNote ? ` (${r.best.hardwareNote})` : ''}` });
  for (const t of r.ties) {
    rows.push({ label: t.label, device: t.device, verdict: 'tie', verdictText: VERDICT_WORDS.tie, cost: cost(t.costPerMillion), why: `indistinguishable in cost: ${t.vsBest ? formatRatio(t.vsBest) : '—'} the recommended one's` });
  }
  for (const u of r.runnersUp) rows.push({ label: u.label, device: u.device, verdict: u.lost, verdictText: VERDICT_WORDS[u.lost], cost: cost(u.costPerMillion), why: u.why });
  // A loosened check travels with the configuration wherever the card shows it.
  const configurations = [r.best, ...r.ties, ...r.runnersUp].filter((c) => c !== null);
  configurations.forEach((c, i) => {
    const row = rows[i];
    if (row && c.toleranceLabel) row.why = `${row.why} · ⚠ ${c.toleranceLabel}`;
  });
  return { status: r.status, headline: r.headline, needs: needsWords(r), rows, notes: r.notes, manyDevices: new Set(rows.map((x) => x.device)).size > 1 };
}
