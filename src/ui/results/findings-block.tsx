import { useEffect, useMemo, useRef } from 'react';
import type { Finding, FindingKind, RecommendationInput } from '../../lab/results/findings';
import { buildFindings, needsSoftwareGpuMark } from '../../lab/results/findings';
import type { CellResult, ResultsDocument } from '../../lab/results/results';
import { SOFTWARE_GPU_MARK } from '../../lab/results/software-gpu';
import { prefersReducedMotion } from '../motion';

export const FINDING_LABELS: Readonly<Record<FindingKind, string>> = Object.freeze({
  recommendation: 'Recommendation',
  speed: 'Speed',
  cost: 'Cost',
  drift: 'Predictions moved',
  caveat: 'Note',
});

/** One finding: its kind in words, the sentence, and the software-GPU mark where it names such a cell. */
export function FindingItem({ finding, active }: { finding: Finding; active?: boolean }) {
  return (
    <li className={`finding finding-${finding.kind}${active ? ' finding-active' : ''}`} data-finding={finding.id} aria-current={active ? 'step' : undefined}>
      <span className="finding-kind">{FINDING_LABELS[finding.kind]}</span> {finding.text}
      {needsSoftwareGpuMark(finding) && <span className="software-gpu-mark"> {SOFTWARE_GPU_MARK}</span>}
    </li>
  );
}

/**
 * Moves the page to the findings when a run ends: their top just under the
 * run bar, which stays at the top of the window (sticky), so Run and the
 * findings share the screen however long the results are.
 */
function revealFindings(block: HTMLElement): void {
  const bar = document.querySelector('.run-controls');
  const barHeight = bar && getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().height : 0;
  const top = block.getBoundingClientRect().top + window.scrollY;
  window.scrollTo({ top: Math.max(0, top - barHeight - 12), behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
}

/**
 * The run's findings in plain words, at the top of the results. The text is
 * built in the core (lab/results/findings.ts); this only shows it. When a run
 * ends the page moves here and the heading takes focus, so keyboard and
 * screen-reader users land on what the run found.
 */
export function FindingsBlock({
  results,
  priceOf,
  recommendation = null,
}: {
  results: ResultsDocument;
  priceOf: (cell: CellResult) => number;
  /** The recommendation where one exists: the recommendation core (SLO, drift budget, cost) fills this slot. */
  recommendation?: RecommendationInput | null;
}) {
  const findings = useMemo(() => buildFindings(results, { priceOf, recommendation }), [results, priceOf, recommendation]);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const el = heading.current;
    if (!el) return;
    revealFindings(el.closest('section') ?? el);
    el.focus({ preventScroll: true });
    // Once per run (its creation time), not per object: kernel profiles added to the same run must not pull focus back here.
  }, [results.createdAt]);

  return (
    <section className="findings" aria-labelledby="findings-heading" data-testid="findings">
      <h3 id="findings-heading" tabIndex={-1} ref={heading}>
        What this run found
      </h3>
      <ul className="findings-list">
        {findings.map((f) => (
          <FindingItem key={f.id} finding={f} />
        ))}
      </ul>
    </section>
  );
}
