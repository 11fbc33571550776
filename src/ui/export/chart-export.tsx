import { useRef, useState } from 'react';
import { figureSvg, svgToPng } from '../../lab/export/chart-image';
import { exportFileName } from '../../lab/export/results-files';
import { errorMessage } from '../../lab/util/errors';
import { useRunStore } from '../../store/run-store';
import { downloadBlob } from '../download';

const k_export_class = 'chart-export';
const skipExport = (el: Element) => el.classList.contains(k_export_class);

/** SVG and PNG buttons for the <figure> this sits in: the figure as drawn (caption, legend, labels), as a file. */
export function ChartExport({ name }: { name: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const results = useRunStore((s) => s.results);
  const [error, setError] = useState<string | null>(null);
  const save = async (kind: 'svg' | 'png') => {
    const figure = ref.current?.closest('figure');
    if (!figure) return;
    try {
      const { text, width, height } = figureSvg(figure, skipExport);
      const blob = kind === 'svg' ? new Blob([text], { type: 'image/svg+xml' }) : await svgToPng(text, width, height);
      downloadBlob(blob, exportFileName(results, kind, name));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <span ref={ref} className={k_export_class}>
      {' '}
      <button onClick={() => void save('svg')} data-testid="chart-svg" title="Download this chart as SVG">
        SVG
      </button>
      <button onClick={() => void save('png')} data-testid="chart-png" title="Download this chart as PNG">
        PNG
      </button>
      {error && (
        <span role="alert" className="error">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
