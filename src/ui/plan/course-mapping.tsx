import { COURSE_ROLE_LABELS, courseMatrix } from '../../lab/runner/course-matrix';
import type { DeviceReport } from '../../lab/device/device-report';
import { useDeviceStore } from '../../store/device-store';

/**
 * The capstone's mapping on this device: which engine plays the course's CPU,
 * GPU, GPU FP16 and Edge INT8, and why (a software GPU is said to be one). The
 * mapping is made in the core (course-matrix.ts); this only shows it.
 */
export function CourseMapping({ device: measuredOn }: { /** The device a results file was measured on; absent: this one. */ device?: DeviceReport }) {
  const probed = useDeviceStore((s) => s.report);
  const device = measuredOn ?? probed;
  if (!device) return <p className="explain">The course mapping appears once this device has been probed.</p>;
  return (
    <div className="course-mapping" data-testid="course-mapping">
      <table>
        <caption className="explain">The course's configurations on this device: which engine stands for each, and why.</caption>
        <thead>
          <tr>
            <th scope="col">Course configuration</th>
            <th scope="col">Runs here as</th>
          </tr>
        </thead>
        <tbody>
          {courseMatrix(device).map((m) => (
            <tr key={m.role} data-role={m.role}>
              <th scope="row">{COURSE_ROLE_LABELS[m.role]}</th>
              <td>
                {m.state === 'missing' ? <span className="badge badge-unavailable">not on this device</span> : null} {m.why}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
