import { useState } from 'react';
import { useRunStore } from '../../store/run-store';
import { useUserModelStore } from '../../store/user-model-store';
import { DataFields } from './data-fields';
import { ModelCardView } from './model-card-view';
import { KeptModelsList } from './kept-models-list';

/** Bring your own model: pick or drop the file(s), read the card, map the data, prepare, then run it like a zoo model. */
export function YourModelPanel() {
  const phase = useUserModelStore((s) => s.phase);
  const card = useUserModelStore((s) => s.card);
  const problems = useUserModelStore((s) => s.problems);
  const error = useUserModelStore((s) => s.error);
  const progress = useUserModelStore((s) => s.progress);
  const dims = useUserModelStore((s) => s.dims);
  const readyModelId = useUserModelStore((s) => s.readyModelId);
  const chooseModel = useUserModelStore((s) => s.chooseModel);
  const setDim = useUserModelStore((s) => s.setDim);
  const prepare = useUserModelStore((s) => s.prepare);
  const keep = useUserModelStore((s) => s.keep);
  const setKeep = useUserModelStore((s) => s.setKeep);
  const results = useRunStore((s) => s.results);
  const partial = useRunStore((s) => s.partial);
  const plan = useRunStore((s) => s.plan);
  const models = useUserModelStore((s) => s.models);
  const expected = plan.userModel && !models.some((m) => m.modelId === plan.modelId) ? plan.userModel : null;
  const [dragging, setDragging] = useState(false);
  const cells = (results?.cells ?? partial).length > 0 && plan.modelId === readyModelId ? (results?.cells ?? partial) : [];
  const busy = phase === 'reading' || phase === 'preparing';
  const open = card?.symbolicDims.filter((d) => d.role === 'needs-value') ?? [];

  const errorMessage = error && (
    <p className="error" role="alert" data-testid="intake-error" data-problem={error.problem ?? 'failure'}>
      {error.message}
    </p>
  );

  return (
    <section
      className={`panel${dragging ? ' dragging' : ''}`}
      aria-labelledby="your-model-heading"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const files = [...e.dataTransfer.files];
        if (files.length > 0) void chooseModel(files);
      }}
    >
      <div className="panel-head">
        <h2 id="your-model-heading">Your model</h2>
        <label>
          Model file(s){' '}
          <input type="file" accept=".onnx,.tflite,.json,.bin" multiple disabled={busy} onChange={(e) => void chooseModel([...(e.target.files ?? [])])} data-testid="model-input" />
        </label>
      </div>
      <p className="explain">
        Pick or drop an ONNX file (opsets 7–21: PyTorch, tf2onnx, scikit-learn ai.onnx.ml exports), a TFLite .tflite file, or a TF.js model.json together with its weight files.
        It stays in this tab: nothing is uploaded, and nothing is kept after you close it.
      </p>
      {expected && (
        <p className="warning" data-testid="expected-model">
          The shared plan is for {expected.fileName} (SHA-256 {expected.sha256.slice(0, 12)}…): choose that file again; a different file is refused.
        </p>
      )}
      <KeptModelsList />
      {progress && (
        <p className="status" aria-busy="true" data-testid="intake-progress">
          {progress}…
        </p>
      )}
      {/* Before a card there is no button to stand beside; after it, the message goes where the click was (below). */}
      {!card && errorMessage}
      {problems.map((p) => (
        <p key={p.message} className="error" role="alert" data-testid="intake-problem" data-problem={p.problem}>
          {p.message}
        </p>
      ))}
      {card && (
        <>
          <ModelCardView card={card} cells={cells} />
          {open.length > 0 && (
            <div className="row" data-testid="symbolic-dims">
              {open.map((d) => (
                <label key={d.name}>
                  Size of “{d.name}” ({d.where.join(', ')}){' '}
                  <input type="number" min={1} value={dims[d.name] ?? ''} onChange={(e) => setDim(d.name, Number(e.target.value))} />
                </label>
              ))}
            </div>
          )}
          <DataFields />
          <p>
            <button className="primary" disabled={busy || problems.length > 0} onClick={() => void prepare()} data-testid="use-model">
              {phase === 'ready' ? 'Prepare again' : 'Use this model'}
            </button>{' '}
            <label className="check">
              <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} data-testid="keep-model" />
              keep it on this device (IndexedDB) to open it again later
            </label>{' '}
            <span className="explain" data-testid="intake-phase" data-phase={phase}>
              {phase === 'ready'
                ? `Ready: the plan below now runs ${card.fileName} (reference: FP32 in this page, computed once).`
                : 'Computes the FP32 reference in this page (onnxruntime-web wasm; TF.js CPU for a TF.js model), then the FP16 and INT8 variants.'}
            </span>
          </p>
          {errorMessage}
        </>
      )}
    </section>
  );
}
