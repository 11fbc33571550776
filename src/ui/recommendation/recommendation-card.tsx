import type { Recommendation } from '../../lab/results/recommendation';
import { recommendationCard } from '../../lab/results/recommendation-card';

/** The recommendation as the core words it (recommendation-card.ts): the CLI's report shows the same rows. */
export function RecommendationCard({ recommendation }: { recommendation: Recommendation }) {
  const card = recommendationCard(recommendation);
  return (
    <div className="recommendation-card" data-testid="recommendation" data-status={card.status}>
      <p className={card.status === 'recommended' ? 'headline ok' : 'headline warning'} data-testid="recommendation-headline">
        {card.headline}
      </p>
      <div className="table-scroll">
        <table data-testid="recommendation-table">
          <thead>
            <tr>
              <th scope="col">Configuration</th>
              {card.manyDevices && <th scope="col">Device</th>}
              <th scope="col">Verdict</th>
              <th scope="col">Cost / 1M</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {card.rows.map((row, i) => (
              <tr key={`${row.label}-${row.device}-${i}`} data-verdict={row.verdict}>
                <th scope="row">{row.label}</th>
                {card.manyDevices && <td>{row.device}</td>}
                <td>
                  <span className={`badge ${row.verdict === 'recommended' || row.verdict === 'tie' ? 'badge-completed' : row.verdict === 'unavailable' || row.verdict === 'aborted' ? 'badge-unavailable' : 'badge-errored'}`}>{row.verdictText}</span>
                </td>
                <td>{row.cost}</td>
                <td className="cell-message">{row.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {card.notes.map((n) => (
        <p key={n} className="explain">
          {n}
        </p>
      ))}
    </div>
  );
}
