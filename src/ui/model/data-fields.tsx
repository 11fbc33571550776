import type { CsvMapping } from '../../lab/models/user/intake-options';
import type { ModelCard } from '../../lab/models/user/model-card';
import { useUserModelStore } from '../../store/user-model-store';

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Which CSV columns feed the model (per input when it has several), which is the label, which are slices. */
function CsvMappingFields({ header, mapping, card }: { header: string[]; mapping: CsvMapping; card: ModelCard | null }) {
  const setMapping = useUserModelStore((s) => s.setMapping);
  const inputs = card?.inputs ?? [];
  const perInput = !Array.isArray(mapping.features);
  return (
    <fieldset className="plan-form" data-testid="csv-mapping">
      <legend>Column mapping</legend>
      <p className="explain">Columns: {header.join(', ')}</p>
      {!perInput && (
        <label>
          Feature columns, in the model's input order{' '}
          <input
            type="text"
            size={60}
            value={(mapping.features as string[]).join(', ')}
            onChange={(e) => setMapping({ ...mapping, features: list(e.target.value) })}
            data-testid="csv-features"
          />
        </label>
      )}
      {perInput &&
        inputs.map((input) => (
          <label key={input.name}>
            Columns for input “{input.name}”{' '}
            <input
              type="text"
              size={50}
              value={((mapping.features as Record<string, string[]>)[input.name] ?? []).join(', ')}
              onChange={(e) => setMapping({ ...mapping, features: { ...(mapping.features as Record<string, string[]>), [input.name]: list(e.target.value) } })}
            />
          </label>
        ))}
      <label>
        Label column{' '}
        <select value={mapping.label ?? ''} onChange={(e) => setMapping({ ...mapping, ...(e.target.value ? { label: e.target.value } : { label: undefined }) })} data-testid="csv-label">
          <option value="">none (no accuracy, agreement only)</option>
          {header.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </label>
      <div className="engine-choices" role="group" aria-label="Slice columns">
        <span>Slice columns (kept for per-group numbers, never fed to the model)</span>
        {header.map((h) => (
          <label key={h} className="check">
            <input
              type="checkbox"
              checked={mapping.slices.includes(h)}
              onChange={(e) => setMapping({ ...mapping, slices: e.target.checked ? [...mapping.slices, h] : mapping.slices.filter((s) => s !== h) })}
            />
            {h}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function numbers(text: string): number[] | undefined {
  const values = list(text).map(Number);
  return values.length > 0 && values.every(Number.isFinite) ? values : undefined;
}

/** How images become the model's input: layout, and mean/std per channel after pixel / 255. */
function ImageOptionsFields() {
  const options = useUserModelStore((s) => s.imageOptions);
  const setOptions = useUserModelStore((s) => s.setImageOptions);
  const images = useUserModelStore((s) => s.images);
  return (
    <fieldset className="plan-form" data-testid="image-options">
      <legend>Images ({images.length} files; one sub-folder per class, sorted folder names give class indices)</legend>
      <div className="row">
        <label>
          Layout{' '}
          <select value={options.layout ?? ''} onChange={(e) => setOptions({ ...options, ...(e.target.value === 'NCHW' || e.target.value === 'NHWC' ? { layout: e.target.value } : { layout: undefined }) })}>
            <option value="">from the model's input shape</option>
            <option value="NCHW">NCHW (PyTorch)</option>
            <option value="NHWC">NHWC (TensorFlow)</option>
          </select>
        </label>
        <label>
          Mean per channel{' '}
          <input type="text" size={18} placeholder="0 (e.g. 0.485, 0.456, 0.406)" onChange={(e) => setOptions({ ...options, mean: numbers(e.target.value) })} />
        </label>
        <label>
          Std per channel{' '}
          <input type="text" size={18} placeholder="1 (e.g. 0.229, 0.224, 0.225)" onChange={(e) => setOptions({ ...options, std: numbers(e.target.value) })} />
        </label>
      </div>
      <p className="explain">Each image is resized bilinearly to the model's input size; the model sees (pixel / 255 − mean) / std.</p>
    </fieldset>
  );
}

export function DataFields() {
  const csv = useUserModelStore((s) => s.csv);
  const mapping = useUserModelStore((s) => s.mapping);
  const card = useUserModelStore((s) => s.card);
  const images = useUserModelStore((s) => s.images);
  const chooseCsv = useUserModelStore((s) => s.chooseCsv);
  const chooseImages = useUserModelStore((s) => s.chooseImages);
  return (
    <div className="plan-form">
      <div className="row">
        <label>
          Rows as CSV{' '}
          <input type="file" accept=".csv,text/csv" onChange={(e) => void chooseCsv(e.target.files?.[0] ?? null)} data-testid="csv-input" />
        </label>
        <label>
          or an image folder{' '}
          <input
            type="file"
            multiple
            {...({ webkitdirectory: '' } as Record<string, string>)}
            onChange={(e) => chooseImages([...(e.target.files ?? [])])}
            data-testid="images-input"
          />
        </label>
        {!csv && images.length === 0 && <span className="explain">Without data: seeded random inputs (weak INT8 calibration, no accuracy).</span>}
      </div>
      {csv && mapping && <CsvMappingFields header={csv.header} mapping={mapping} card={card} />}
      {images.length > 0 && <ImageOptionsFields />}
    </div>
  );
}
