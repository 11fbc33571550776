import { useMemo } from 'react';
import type { Recommendation } from '../../lab/results/recommendation';
import { recommend } from '../../lab/results/recommendation';
import type { ResultsDocument } from '../../lab/results/results';
import { useCompareStore } from '../../store/compare-store';
import { useRecommendationStore } from '../../store/recommendation-store';
import { useRunStore } from '../../store/run-store';

/**
 * The page's one answer: the needs stated here weighed over every run shown
 * (this run and the files opened beside it). The findings and the
 * Recommendation panel both read it, so the page never gives two answers.
 */
export function usePageRecommendation(): { docs: ResultsDocument[]; recommendation: Recommendation | null } {
  const results = useRunStore((s) => s.results);
  const compared = useCompareStore((s) => s.runs);
  const needs = useRecommendationStore((s) => s.needs);
  const docs = useMemo(() => [...(results ? [results] : []), ...compared.map((r) => r.doc)], [results, compared]);
  const recommendation = useMemo(() => (docs.length > 0 ? recommend(docs, needs) : null), [docs, needs]);
  return useMemo(() => ({ docs, recommendation }), [docs, recommendation]);
}
