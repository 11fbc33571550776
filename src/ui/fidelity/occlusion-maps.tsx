import type { MeasuredCell } from './fidelity-rows';
import { cellLabel } from './fidelity-rows';
import { ChartExport } from '../export/chart-export';

/** A map as a grid of squares: red where hiding the patch lowers the class probability. */
function Heatmap({ values, height, width, scale, title }: { values: number[]; height: number; width: number; scale: number; title: string }) {
  const cell = 4;
  return (
    <svg width={width * cell} height={height * cell} role="img" aria-label={title}>
      <title>{title}</title>
      {values.map((v, i) => {
        const a = scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0;
        return (
          <rect
            key={i}
            x={(i % width) * cell}
            y={Math.floor(i / width) * cell}
            width={cell}
            height={cell}
            fill={v >= 0 ? `rgba(180, 35, 24, ${a})` : `rgba(36, 88, 198, ${a})`}
          />
        );
      })}
    </svg>
  );
}

export function OcclusionMaps({ cells }: { cells: readonly MeasuredCell[] }) {
  const withMaps = cells.filter((c) => c.fidelity.occlusionExamples?.length);
  const examples = withMaps[0]?.fidelity.occlusionExamples ?? [];
  if (examples.length === 0) return null;
  return (
    <figure className="chart" data-testid="occlusion-maps">
      <figcaption>
        Occlusion maps: how much hiding each 7×7 patch lowers the predicted class probability (red), reference first, then each configuration
        <ChartExport name="occlusion-maps" />
      </figcaption>
      <table>
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col">Reference (FP32, native)</th>
            {withMaps.map((c) => (
              <th key={c.cellId} scope="col">
                {cellLabel(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {examples.map((ex, i) => {
            const scale = Math.max(...ex.reference.map(Math.abs), 1e-9);
            return (
              <tr key={ex.row}>
                <th scope="row">
                  #{ex.row} {ex.label}
                </th>
                <td>
                  <Heatmap values={ex.reference} height={ex.height} width={ex.width} scale={scale} title={`reference map of image ${ex.row}`} />
                </td>
                {withMaps.map((c) => {
                  const mine = c.fidelity.occlusionExamples?.[i];
                  return <td key={c.cellId}>{mine && <Heatmap values={mine.cell} height={mine.height} width={mine.width} scale={scale} title={`${cellLabel(c)} map of image ${ex.row}`} />}</td>;
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
