import type { CellResult } from '../../lab/results/results';
import { costPerMillion, formatDiff, formatMoney, formatMs, formatRate } from '../../lab/util/format';
import { summarize } from './cell-summary';

export function ResultsTable({ cells, pricePerHour }: { cells: readonly CellResult[]; pricePerHour: number }) {
  const byCell = new Map(cells.map((c) => [c.cellId, c]));
  return (
    <table className="results-table" data-testid="results-table">
      <thead>
        <tr>
          <th scope="col">Engine</th>
          <th scope="col">State</th>
          <th scope="col" title="Importing the runtime and starting its backend">Start</th>
          <th scope="col" title="Fetching the model file(s)">Fetch</th>
          <th scope="col" title="Building a session from the model bytes">Session</th>
          <th scope="col" title="The very first inference, cold">First run</th>
          <th scope="col">Batch</th>
          <th scope="col" title="Median warm latency per batch, with its 95% interval">P50</th>
          <th scope="col">P95</th>
          <th scope="col">P99</th>
          <th scope="col" title="Rows per second at the median">Throughput</th>
          <th scope="col" title="Device price per hour × time to serve a million rows at this throughput">Cost / 1M</th>
          <th scope="col" title="Largest difference from the golden outputs">max |Δ|</th>
        </tr>
      </thead>
      <tbody>
        {summarize(cells).map((row) => {
          const cell = byCell.get(row.cellId);
          const phases = cell?.phases ?? {};
          return (
            <tr key={`${row.cellId}-${row.batchSize ?? 0}`} data-cell={row.cellId} data-state={row.state}>
              <th scope="row">
                {row.label}
                {cell?.precisionInfo && (
                  <div className="explain" title={cell.precisionInfo.how}>
                    stores {cell.precisionInfo.storage.toUpperCase()} · computes {cell.precisionInfo.compute.toUpperCase()}
                  </div>
                )}
                {cell?.runtime && (
                  <div className="explain">
                    {cell.runtime.bundle}
                    {cell.runtime.wasmFile ? ` · ${cell.runtime.wasmFile}` : ''}
                    {cell.runtime.threads > 0 ? ` · ${cell.runtime.threads} thread${cell.runtime.threads > 1 ? 's' : ''}` : ''}
                  </div>
                )}
              </th>
              <td>
                <span className={`badge badge-${row.state}`}>{row.state}</span>
              </td>
              {row.state === 'completed' ? (
                <>
                  <td>{formatMs(phases.runtimeInitMs)}</td>
                  <td>{formatMs(phases.modelFetchMs)}</td>
                  <td>{formatMs(phases.sessionCreateMs)}</td>
                  <td>{formatMs(phases.firstRunMs)}</td>
                  <td>{row.batchSize}</td>
                  <td title={`95% interval ${formatMs(row.ciLow)} – ${formatMs(row.ciHigh)}, ${row.samples} samples`}>
                    {formatMs(row.p50)}
                    {row.noisy && <span className="noisy" title="Noisy: wide spread or long tail"> ⚠</span>}
                  </td>
                  <td>{formatMs(row.p95)}</td>
                  <td>{formatMs(row.p99)}</td>
                  <td>{row.throughput !== undefined ? formatRate(row.throughput) : '—'}</td>
                  <td>{row.throughput !== undefined ? formatMoney(costPerMillion(pricePerHour, row.throughput)) : '—'}</td>
                  <td>
                    {row.maxAbsDiff !== undefined ? formatDiff(row.maxAbsDiff) : '—'}
                    {row.toleranceLabel && (
                      <div className="warning" data-testid="tolerance-label">
                        ⚠ {row.toleranceLabel}
                      </div>
                    )}
                  </td>
                </>
              ) : (
                <td colSpan={11} className="cell-message">
                  {row.message}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
