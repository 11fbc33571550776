import { formatGflops } from '../../lab/results/figures';
import { useDeviceStore } from '../../store/device-store';

/** The device's measured arithmetic ceilings, on demand (a few seconds of every core at full load). */
export function CeilingsPanel() {
  const ceilings = useDeviceStore((s) => s.ceilings);
  const status = useDeviceStore((s) => s.ceilingsStatus);
  const points = useDeviceStore((s) => s.ceilingPoints);
  const error = useDeviceStore((s) => s.ceilingsError);
  const measure = useDeviceStore((s) => s.measureCeilings);
  const wasm = ceilings?.wasmSimd;
  const gpu = ceilings?.webgpu;
  const shown = wasm?.status === 'available' ? wasm.detail.points : points;
  return (
    <div className="ceilings" data-testid="ceilings">
      <h3>Arithmetic ceilings</h3>
      <p className="explain">
        The most multiply-adds per second this device does in this page: a hand-written wasm-SIMD loop on 1 … all cores, and a WebGPU compute
        shader where an adapter exists. Each is the best of three timed runs whose answers were checked. The roofline under the results puts every
        cell against them. Measuring keeps every core busy for a few seconds.
      </p>
      {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page while the ceilings are measured. */}
      <button onClick={() => (status === 'measuring' ? undefined : void measure())} aria-disabled={status === 'measuring'} data-testid="measure-ceilings">
        {status === 'measuring' ? 'Measuring…' : ceilings ? 'Measure again' : "Measure this device's ceilings"}
      </button>
      {error && <p role="alert" className="error">Measuring failed: {error}</p>}
      {(shown.length > 0 || ceilings) && (
        <table className="device-table" data-testid="ceilings-table">
          <thead>
            <tr>
              <th scope="col">Ceiling</th>
              <th scope="col">GFLOP/s (best of 3)</th>
              <th scope="col">Repeats</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.threads} data-ceiling={`wasm-simd-${p.threads}t`}>
                <th scope="row">wasm SIMD, {p.threads} thread{p.threads > 1 ? 's' : ''}</th>
                <td data-testid="ceiling-gflops">{formatGflops(p.gflops)}</td>
                <td className="explain">{p.repeats.map((r) => r.toPrecision(3)).join(', ')}</td>
              </tr>
            ))}
            {wasm?.status === 'unavailable' && (
              <tr data-ceiling="wasm-simd">
                <th scope="row">wasm SIMD</th>
                <td colSpan={2}>n/a: {wasm.reason}</td>
              </tr>
            )}
            {gpu && (
              <tr data-ceiling="webgpu">
                <th scope="row">WebGPU{gpu.status === 'available' ? ` (${gpu.detail.adapter})` : ''}</th>
                {gpu.status === 'available' ? (
                  <>
                    <td data-testid="ceiling-gflops">
                      {formatGflops(gpu.detail.gflops)}
                      {gpu.notes.map((n) => (
                        <div key={n} className="note">
                          {n}
                        </div>
                      ))}
                    </td>
                    <td className="explain">{gpu.detail.repeats.map((r) => r.toPrecision(3)).join(', ')}</td>
                  </>
                ) : (
                  <td colSpan={2}>
                    n/a: {gpu.reason}
                    {gpu.technical && <div className="note">{gpu.technical}</div>}
                  </td>
                )}
              </tr>
            )}
          </tbody>
        </table>
      )}
      {wasm?.status === 'available' && <p className="explain">Kernel: {wasm.detail.kernel}. {wasm.notes.join(' ')}</p>}
      {gpu?.status === 'available' && <p className="explain">WebGPU kernel: {gpu.detail.kernel}.</p>}
    </div>
  );
}
