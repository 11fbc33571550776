import { useEffect } from 'react';
import { useDeviceStore } from '../../store/device-store';
import { CeilingsPanel } from './ceilings-panel';
import { deviceRows } from './device-rows';

export function DeviceReportPanel() {
  const report = useDeviceStore((s) => s.report);
  const error = useDeviceStore((s) => s.error);
  const probe = useDeviceStore((s) => s.probe);

  useEffect(() => {
    void probe();
  }, [probe]);

  return (
    <section className="panel" aria-labelledby="device-heading">
      <h2 id="device-heading">This device</h2>
      {error && (
        <p role="alert" className="error">
          Probing the device failed: {error}
        </p>
      )}
      {!report && !error && <p aria-busy="true">Probing what this browser can do…</p>}
      {report && (
        <table className="device-table" data-testid="device-report">
          <thead>
            <tr>
              <th scope="col">Capability</th>
              <th scope="col">Status</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {deviceRows(report).map((row) => (
              <tr key={row.id} data-capability={row.id} data-status={row.status}>
                <th scope="row">
                  {row.label}
                  <div className="explain">{row.explain}</div>
                </th>
                <td>
                  <span className={`badge badge-${row.status}`}>{row.status === 'info' ? '—' : row.status}</span>
                </td>
                <td>
                  <div className="value">{row.value}</div>
                  {row.notes.map((note) => (
                    <div key={note} className="note">
                      {note}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report && <CeilingsPanel />}
    </section>
  );
}
