import { useEffect, useMemo, useRef } from 'react';
import { prefersReducedMotion } from '../motion';
import type { RecommendationInput } from '../../lab/results/findings';
import { buildFindings, needsSoftwareGpuMark } from '../../lab/results/findings';
import { cellSentence } from '../../lab/results/cell-sentences';
import type { CellResult, ResultsDocument } from '../../lab/results/results';
import { usePresentStore } from '../../store/present-store';
import { FINDING_LABELS } from '../results/findings-block';
import { SOFTWARE_GPU_MARK } from '../../lab/results/software-gpu';

interface Step {
  key: string;
  kind: string;
  text: string;
  softwareGpu: boolean;
  /** The element on the page this step speaks of (a finding or a table row). */
  selector: string;
}

const NEXT_KEYS = new Set(['ArrowRight', 'PageDown', 'n', 'N']);
const PREVIOUS_KEYS = new Set(['ArrowLeft', 'PageUp', 'p', 'P']);

function typingInto(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

/**
 * The projector's view of a run: one finding or one cell at a time, in large
 * type, stepped with one key (→, PageDown or N; back with ←, PageUp or P — a
 * presenter's clicker sends PageDown/PageUp). The step's finding or table row
 * is outlined on the page below.
 */
export function PresentationStage({ results, priceOf, recommendation = null }: { results: ResultsDocument; priceOf: (cell: CellResult) => number; recommendation?: RecommendationInput | null }) {
  const step = usePresentStore((s) => s.step);
  const move = usePresentStore((s) => s.move);
  const resetStep = usePresentStore((s) => s.resetStep);
  const steps = useMemo<Step[]>(
    () => [
      ...buildFindings(results, { priceOf, recommendation }).map((f) => ({ key: f.id, kind: FINDING_LABELS[f.kind], text: f.text, softwareGpu: f.softwareGpu, selector: `[data-finding="${f.id}"]` })),
      ...results.cells.map((c) => ({ key: c.cellId, kind: 'Cell', text: cellSentence(c, results), softwareGpu: false, selector: `[data-cell="${c.cellId}"]` })),
    ],
    [results, priceOf, recommendation],
  );

  useEffect(() => resetStep(), [results, resetStep]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || typingInto(e.target)) return;
      const delta = NEXT_KEYS.has(e.key) ? 1 : PREVIOUS_KEYS.has(e.key) ? -1 : 0;
      if (delta === 0) return;
      e.preventDefault();
      move(delta, steps.length);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move, steps.length]);

  const current = steps[Math.min(step, steps.length - 1)];
  const stage = useRef<HTMLElement>(null);

  // Entering the mode (or a new run) brings the stage to the top of the screen.
  useEffect(() => {
    stage.current?.scrollIntoView({ block: 'start', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }, [results]);

  // Outline what the step speaks of on the page (the findings list, the table's rows).
  useEffect(() => {
    const marked = current ? [...document.querySelectorAll<HTMLElement>(current.selector)] : [];
    // The stage sticks to the top of the screen: what it outlines must come to rest below it, not under it.
    const below = `${(stage.current?.offsetHeight ?? 0) + 12}px`;
    for (const el of marked) {
      el.classList.add('step-active');
      el.style.scrollMarginTop = below;
    }
    const behavior = prefersReducedMotion() ? 'auto' : 'smooth';
    // A cell's row is wider than the screen: bring its timings (from P50) into view, not only its name.
    const timings = marked[0]?.querySelector<HTMLElement>('[data-figure="p50"]');
    if (timings) timings.style.scrollMarginTop = below;
    (timings ?? marked[0])?.scrollIntoView({ block: 'nearest', inline: timings ? 'start' : 'nearest', behavior });
    return () => {
      for (const el of marked) {
        el.classList.remove('step-active');
        el.style.scrollMarginTop = '';
      }
    };
  }, [current]);

  if (!current) return null;
  return (
    <section className="presentation-stage" aria-label="Presentation" data-testid="presentation-stage" ref={stage}>
      <p className="stage-count">
        Step {step + 1} of {steps.length} · <span className="stage-kind">{current.kind}</span>
      </p>
      <p className="stage-text" aria-live="polite" data-testid="stage-text" data-step={current.key}>
        {current.text}
        {needsSoftwareGpuMark(current) && <span className="software-gpu-mark"> {SOFTWARE_GPU_MARK}</span>}
      </p>
      <div className="row">
        <button type="button" onClick={() => move(-1, steps.length)} disabled={step === 0}>
          ← Previous
        </button>
        <button type="button" onClick={() => move(1, steps.length)} disabled={step >= steps.length - 1} data-testid="stage-next">
          Next →
        </button>
        <span className="explain">Keys: → PageDown N for next, ← PageUp P for back.</span>
      </div>
    </section>
  );
}
