import { useEffect, useState } from 'react';
import { appBaseUrl } from '../../lab/api/window-api';
import { ENGINE_IDS } from '../../lab/engines/engine';
import { ENGINES } from '../../lab/engines/engine-descriptors';
import type { ZooEntry } from '../../lab/models/zoo';
import { listZoo } from '../../lab/models/zoo';
import { errorMessage } from '../../lab/util/errors';
import { useRunStore } from '../../store/run-store';
import { formatBytes } from '../../lab/util/format';

const BATCH_CHOICES = [1, 4, 16, 64, 256];

export function PlanForm() {
  const plan = useRunStore((s) => s.plan);
  const setPlan = useRunStore((s) => s.setPlan);
  const toggleEngine = useRunStore((s) => s.toggleEngine);
  const running = useRunStore((s) => s.status === 'running');
  const [zoo, setZoo] = useState<ZooEntry[]>([]);
  const [zooError, setZooError] = useState<string | null>(null);

  useEffect(() => {
    listZoo(appBaseUrl()).then(setZoo, (error: unknown) => setZooError(errorMessage(error)));
  }, []);

  const model = zoo.find((m) => m.id === plan.modelId);
  const enabled = new Set(plan.cells.map((c) => c.engine));

  return (
    <fieldset className="plan-form" disabled={running}>
      <legend>What to run</legend>
      <label>
        Model{' '}
        <select value={plan.modelId} onChange={(e) => setPlan({ ...plan, modelId: e.target.value })}>
          {zoo.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      {zooError && <p className="error">The model list could not be read: {zooError}</p>}
      {model && (
        <p className="explain" data-testid="model-summary">
          {model.description} · {model.task} · ONNX {formatBytes(model.artifactBytes.fp32?.onnx ?? 0)}, TF.js{' '}
          {formatBytes(model.artifactBytes.fp32?.tfjs ?? 0)}
          {model.accuracy.fp32 !== undefined && ` · FP32 accuracy ${(model.accuracy.fp32 * 100).toFixed(1)}%`} · {model.license}
        </p>
      )}
      <div className="engine-choices" role="group" aria-label="Engines">
        {ENGINE_IDS.map((id) => (
          <label key={id} className="check">
            <input type="checkbox" checked={enabled.has(id)} onChange={(e) => toggleEngine(id, e.target.checked)} />
            {ENGINES[id].label}
          </label>
        ))}
      </div>
      <div className="row">
        <span>Batch sizes</span>
        {BATCH_CHOICES.map((b) => (
          <label key={b} className="check">
            <input
              type="checkbox"
              checked={plan.batchSizes.includes(b)}
              onChange={(e) => {
                const batchSizes = e.target.checked ? [...plan.batchSizes, b].sort((x, y) => x - y) : plan.batchSizes.filter((x) => x !== b);
                if (batchSizes.length > 0) setPlan({ ...plan, batchSizes });
              }}
            />
            {b}
          </label>
        ))}
        <label>
          Sampling{' '}
          <select
            value={typeof plan.rules === 'string' ? plan.rules : 'custom'}
            onChange={(e) => setPlan({ ...plan, rules: e.target.value === 'full' ? 'full' : 'quick' })}
          >
            <option value="quick">quick (about a minute)</option>
            <option value="full">full (more samples, steadier P99)</option>
            {typeof plan.rules === 'object' && <option value="custom">custom (from URL)</option>}
          </select>
        </label>
      </div>
    </fieldset>
  );
}
