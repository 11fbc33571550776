import type { ResultsDocument } from '../../lab/results/results';
import { ScrollRegion } from '../scroll-region';
import { isEngineId, ENGINES } from '../../lab/engines/engine-descriptors';
import { k_profile_disclosure, PROFILE_SOURCE_WORDS } from '../../lab/profiles/kernel-profile';
import { profilingPlan } from '../../lab/profiles/profile-plan';
import { formatMs } from '../../lab/util/format';
import { useRunStore } from '../../store/run-store';

/** Where each completed cell's time goes, kernel by kernel, from a profiling run the user starts. */
export function KernelProfiles({ results }: { results: ResultsDocument }) {
  const profile = useRunStore((s) => s.profile);
  const profiling = useRunStore((s) => s.profiling);
  const running = useRunStore((s) => s.status === 'running');
  const plan = profilingPlan(results);
  const profiles = results.profiles;
  const busy = !plan || running || profiling !== null;
  return (
    <section aria-labelledby="profiles-heading" data-testid="kernel-profiles">
      <h3 id="profiles-heading">Where the time goes (kernel profiles)</h3>
      <p className="explain">{k_profile_disclosure}</p>
      <p>
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page while the profile runs. */}
        <button onClick={() => (busy ? undefined : void profile())} aria-disabled={busy} data-testid="profile-kernels">
          Profile kernels of the completed cells
        </button>{' '}
        {!plan && <span className="explain">No cell completed, so there is nothing to profile.</span>}
        {profiling && (
          <span className="explain" role="status">
            Profiling cell {Math.min(profiling.cellIndex + 1, profiling.cellCount)} of {profiling.cellCount}…
          </span>
        )}
      </p>
      {profiles && (
        <ScrollRegion label="Kernel profile">
          <table data-testid="kernel-profile-table">
            <caption>Top kernels per cell at batch {profiles[0]?.batchSize ?? '—'}, share of the profiled kernel time</caption>
            <thead>
              <tr>
                <th scope="col">Cell</th>
                <th scope="col">Top kernels</th>
                <th scope="col">Kernel time per run</th>
                <th scope="col">Profiler</th>
              </tr>
            </thead>
            <tbody>
              {profiles.map((p) => (
                <tr key={p.cellId} data-cell={p.cellId} data-state={p.state}>
                  <th scope="row">
                    {isEngineId(p.engine) ? ENGINES[p.engine].label : p.engine} {p.precision.toUpperCase()}
                  </th>
                  {p.state === 'profiled' ? (
                    <>
                      <td>
                        <ol className="kernel-list">
                          {p.summary.top.map((k) => (
                            <li key={k.name} data-kernel={k.name} data-share={k.share}>
                              {k.name} {(k.share * 100).toFixed(1)}% ({formatMs(k.msPerRun)}/run, {k.callsPerRun.toFixed(k.callsPerRun % 1 ? 1 : 0)}×)
                            </li>
                          ))}
                          {p.summary.others.kinds > 0 && (
                            <li>
                              {p.summary.others.kinds} other kernel type{p.summary.others.kinds === 1 ? '' : 's'} {(p.summary.others.share * 100).toFixed(1)}%
                            </li>
                          )}
                        </ol>
                        {p.summary.note && <p className="explain">{p.summary.note}</p>}
                      </td>
                      <td>
                        {formatMs(p.summary.kernelMsPerRun)} (mean of {p.summary.runs} runs)
                      </td>
                      <td className="explain">{PROFILE_SOURCE_WORDS[p.summary.source]}</td>
                    </>
                  ) : (
                    <td colSpan={3}>
                      {p.state}: {p.state === 'errored' ? p.message : p.reason}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
