import type { CellResult } from '../../lab/results/results';
import { ScrollRegion } from '../scroll-region';
import { engineHeadlines } from '../../lab/results/headlines';
import { ENGINES } from '../../lab/engines/engine-descriptors';
import { isEngineId } from '../../lab/engines/engine-descriptors';
import { formatMs, formatRate } from '../../lab/util/format';
import { formatRatio } from '../../lab/results/time-ratio';

/** When a plan sweeps an engine's settings (threads), each engine's fastest one leads, with the others and their paired ratios. */
export function SettingsTable({ cells }: { cells: readonly CellResult[] }) {
  const headlines = engineHeadlines(cells).filter((h) => h.byBatch.some((b) => b.settings.length > 1));
  if (headlines.length === 0) return null;
  return (
    <ScrollRegion label="Settings per engine">
      <table data-testid="settings-table">
        <caption>Each engine's fastest setting per batch size (others shown with their ratio to it, 95% interval)</caption>
        <thead>
          <tr>
            <th scope="col">Engine</th>
            <th scope="col">Batch</th>
            <th scope="col">Fastest setting</th>
            <th scope="col">Others</th>
          </tr>
        </thead>
        <tbody>
          {headlines.flatMap((h) =>
            h.byBatch.map((b) => {
              const [best, ...others] = b.settings;
              const label = isEngineId(h.engine) ? ENGINES[h.engine].label : h.engine;
              return (
                <tr key={`${h.engine}-${h.precision}-${b.batchSize}`}>
                  <th scope="row">
                    {label} {h.precision.toUpperCase()}
                  </th>
                  <td>{b.batchSize}</td>
                  <td>{best ? `${best.threads} thread${best.threads === 1 ? '' : 's'}: ${formatMs(best.medianMs)} (${formatRate(best.rowsPerSec)})` : '—'}</td>
                  <td>
                    {others.map((o) => (
                      <div key={o.cellId}>
                        {o.threads} thread{o.threads === 1 ? '' : 's'}: {formatMs(o.medianMs)}
                        {o.vsBest && ` — ${formatRatio(o.vsBest)}${o.vsBest.verdict === 'indistinguishable' ? ', indistinguishable' : ''}`}
                      </div>
                    ))}
                  </td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
