import type { BatchComparison, CellResult } from '../../lab/results/results';
import type { FigureId } from '../../lab/results/figures';
import { figure } from '../../lab/results/figures';
import { costPerMillion, formatMoney, formatMs } from '../../lab/util/format';
import { formatRatio } from '../../lab/results/time-ratio';
import { isCompleted, summarize } from './cell-summary';
import type { DeviceReport } from '../../lab/device/device-report';
import { isSoftwareGpuCell, SOFTWARE_GPU_MARK } from '../../lab/results/software-gpu';

/** Figures shown once per cell, then per batch size, then once per cell again; names, notes and formats come from the core. */
const COLD: readonly FigureId[] = ['start', 'fetch', 'session', 'first-run'];
const WARM: readonly FigureId[] = ['p50', 'p95', 'p99', 'throughput', 'gflops'];
const AFTER: readonly FigureId[] = ['peak-memory', 'memory-after-dispose', 'leak-growth', 'max-abs-diff'];

export function ResultsTable({
  cells,
  comparisons,
  priceOf,
  device,
}: {
  cells: readonly CellResult[];
  comparisons: readonly BatchComparison[];
  priceOf: (cell: CellResult) => number;
  /** Where the cells ran: a WebGL/WebGPU cell on a software GPU carries the mark on its row and its cost. */
  device?: Pick<DeviceReport, 'webgl' | 'webgpu'> | null;
}) {
  const header = (ids: readonly FigureId[]) =>
    ids.map((id) => (
      <th scope="col" key={id} title={figure(id).note}>
        {figure(id).label}
      </th>
    ));
  return (
    <table className="results-table" data-testid="results-table">
      <thead>
        <tr>
          <th scope="col">Engine</th>
          <th scope="col">State</th>
          {header(COLD)}
          <th scope="col">Batch</th>
          {header(WARM)}
          <th scope="col" title="Rank among the cells at this batch size, from paired per-round ratios; cells whose ratio interval holds 1 share a rank">
            Rank (vs fastest, 95% interval)
          </th>
          <th scope="col" title="Price per hour of the row's hardware (CPU or GPU) × time to serve a million rows at this throughput">Cost / 1M</th>
          {header(AFTER)}
        </tr>
      </thead>
      <tbody>
        {summarize(cells, comparisons).map((row) => {
          const { cell, batch } = row;
          const done = isCompleted(cell) ? cell : undefined;
          const softwareGpu = device ? isSoftwareGpuCell(cell, device) : false;
          const value = (id: FigureId) => {
            const f = figure(id);
            const v = !done ? null : f.scope === 'cell' ? f.value(done) : batch ? f.value(done, batch) : null;
            return v === null ? '—' : f.format(v);
          };
          return (
            <tr key={`${row.cellId}-${row.batchSize ?? 0}`} data-cell={row.cellId} data-state={row.state}>
              <th scope="row">
                {row.label}
                {softwareGpu && <div className="software-gpu-mark">{SOFTWARE_GPU_MARK}</div>}
                {cell.precisionInfo && (
                  <div className="explain" title={cell.precisionInfo.how}>
                    stores {cell.precisionInfo.storage.toUpperCase()} · computes {cell.precisionInfo.compute.toUpperCase()}
                  </div>
                )}
                {cell.runtime && (
                  <div className="explain">
                    {cell.runtime.bundle}
                    {cell.runtime.wasmFile ? ` · ${cell.runtime.wasmFile}` : ''}
                    {cell.runtime.threads > 0 ? ` · ${cell.runtime.threads} thread${cell.runtime.threads > 1 ? 's' : ''}` : ''}
                  </div>
                )}
                {cell.runtime?.fallback && (
                  <div className="warning" data-testid="fallback">
                    ⚠ fallback: {cell.runtime.fallback}
                  </div>
                )}
              </th>
              <td>
                <span className={`badge badge-${row.state}`}>{row.state}</span>
              </td>
              {done && batch ? (
                <>
                  {COLD.map((id) => (
                    <td key={id}>{value(id)}</td>
                  ))}
                  <td>{row.batchSize}</td>
                  {WARM.map((id) => (
                    <td
                      key={id}
                      data-figure={id}
                      title={
                        id === 'p50'
                          ? `Median of ${batch.acrossRounds.rounds} round medians ${formatMs(batch.acrossRounds.median)} (95% interval ${formatMs(batch.acrossRounds.low)} – ${formatMs(batch.acrossRounds.high)}), ${batch.stats.n} samples${batch.callsPerSample > 1 ? `, each timing ${batch.callsPerSample} back-to-back calls` : ''}`
                          : undefined
                      }
                    >
                      {value(id)}
                      {id === 'p50' && batch.acrossRounds.unstable && (
                        <span className="noisy" title={`Round medians ${batch.acrossRounds.spread.toFixed(2)}× apart: the host changed speed while this cell was measured`}>
                          {' '}
                          ⚠
                        </span>
                      )}
                      {id === 'p50' && batch.callsPerSample > 1 && <div className="explain">×{batch.callsPerSample} calls per sample</div>}
                    </td>
                  ))}
                  <td data-testid="rank">
                    <span data-testid="rank-value">{row.rank === undefined ? '—' : `${row.rank}${row.tied ? ' (tie)' : ''}`}</span>
                    {row.vsFastest && (
                      <div className="explain">
                        {formatRatio(row.vsFastest)}
                        {row.vsFastest.verdict === 'indistinguishable' ? ' · indistinguishable' : ''}
                      </div>
                    )}
                  </td>
                  <td>
                    {row.throughput !== undefined ? formatMoney(costPerMillion(priceOf(cell), row.throughput)) : '—'}
                    {softwareGpu && row.throughput !== undefined && <div className="software-gpu-mark">{SOFTWARE_GPU_MARK}</div>}
                  </td>
                  {AFTER.map((id) => (
                    <td key={id}>
                      {value(id)}
                      {id === 'peak-memory' && done.memory && <div className="explain" title={done.memory.note}>{done.memory.peakBytes === null ? `n/a: ${done.memory.reason ?? ''}` : done.memory.source}</div>}
                      {id === 'max-abs-diff' && row.toleranceLabel && (
                        <div className="warning" data-testid="tolerance-label">
                          ⚠ {row.toleranceLabel}
                        </div>
                      )}
                    </td>
                  ))}
                </>
              ) : (
                <td colSpan={COLD.length + WARM.length + AFTER.length + 3} className="cell-message">
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
