import { usePageRecommendation } from './use-page-recommendation';
import { NeedsForm } from './needs-form';
import { RecommendationCard } from './recommendation-card';

/** The answer the run ends in: the cheapest configuration that meets the needs, its ties, and why every other lost. */
export function RecommendationPanel() {
  const { docs, recommendation } = usePageRecommendation();
  if (!recommendation) return null;
  const batchSizes = [...new Set(docs.flatMap((d) => d.plan.batchSizes))];
  return (
    <section className="panel" aria-labelledby="recommendation-heading" data-testid="recommendation-panel">
      <h2 id="recommendation-heading">Recommendation</h2>
      <p className="explain">
        State what the deployment needs; the lab names the configuration that meets all of it at the lowest cost per million predictions
        {docs.length > 1 ? `, over the ${docs.length} runs shown` : ''}, and why each other one lost. Configurations whose costs cannot be told apart
        are ties.
      </p>
      <NeedsForm batchSizes={batchSizes} />
      <RecommendationCard recommendation={recommendation} />
    </section>
  );
}
