import { useEffect, useState } from 'react';
import { appBaseUrl } from '../../lab/api/window-api';
import { FULL_RULES, QUICK_RULES } from '../../lab/bench/protocol';
import { ENGINE_IDS } from '../../lab/engines/engine-descriptors';
import { ENGINES } from '../../lab/engines/engine-descriptors';
import { PRECISION_LABELS, PRECISIONS } from '../../lab/engines/precision';
import type { ZooEntry } from '../../lab/models/zoo';
import { listZoo } from '../../lab/models/zoo';
import { PLAN_PRESETS, PRESET_LABELS } from '../../lab/runner/plan-presets';
import { defaultPlan } from '../../lab/runner/plan';
import { errorMessage } from '../../lab/util/errors';
import { useRunStore } from '../../store/run-store';
import { useDeviceStore } from '../../store/device-store';
import { engineAbsence } from '../../lab/runner/plan-preview';
import { PlanPreviewList } from './plan-preview';
import { useUserModelStore } from '../../store/user-model-store';
import { userModelRegistry } from '../../lab/api/window-api';
import { userModelPlan } from '../../lab/models/user/user-plan';
import { formatBytes } from '../../lab/util/format';

const BATCH_CHOICES = [1, 4, 16, 64, 256];

function qualityText(model: ZooEntry): string {
  const q = model.quality;
  const fp32 = q?.values.fp32 ?? model.accuracy.fp32;
  if (fp32 === undefined) return '';
  const value = q?.metric === 'psnr-db' ? `PSNR ${fp32.toFixed(1)} dB` : `accuracy ${(fp32 * 100).toFixed(1)}%`;
  const base = q?.baseline ? ` (${q.baseline.name}: ${q.metric === 'psnr-db' ? `${q.baseline.value.toFixed(1)} dB` : `${(q.baseline.value * 100).toFixed(1)}%`})` : '';
  return ` · FP32 ${value}${base}`;
}

export function PlanForm() {
  const plan = useRunStore((s) => s.plan);
  const setPlan = useRunStore((s) => s.setPlan);
  const toggleEngine = useRunStore((s) => s.toggleEngine);
  const togglePrecision = useRunStore((s) => s.togglePrecision);
  const applyPreset = useRunStore((s) => s.applyPreset);
  const running = useRunStore((s) => s.status === 'running');
  const device = useDeviceStore((s) => s.report);
  const [zoo, setZoo] = useState<ZooEntry[]>([]);
  const userModels = useUserModelStore((s) => s.models);
  const [zooError, setZooError] = useState<string | null>(null);

  useEffect(() => {
    listZoo(appBaseUrl()).then(setZoo, (error: unknown) => setZooError(errorMessage(error)));
  }, []);

  const model = zoo.find((m) => m.id === plan.modelId);
  const enabled = new Set(plan.cells.map((c) => c.engine));
  const precisions = new Set(plan.cells.map((c) => c.precision));

  return (
    <fieldset className="plan-form" disabled={running}>
      {/* The panel's heading says it already; the legend still names the group for a screen reader. */}
      <legend className="visually-hidden">What to run</legend>
      <label>
        Plan{' '}
        <select
          value={(PLAN_PRESETS as readonly string[]).includes(plan.name ?? '') ? plan.name : ''}
          onChange={(e) => {
            const preset = PLAN_PRESETS.find((p) => p === e.target.value);
            if (preset) applyPreset(preset, navigator.hardwareConcurrency || 1, device);
          }}
          data-testid="preset-select"
        >
          {!(PLAN_PRESETS as readonly string[]).includes(plan.name ?? '') && <option value="">custom</option>}
          {PLAN_PRESETS.map((p) => (
            <option key={p} value={p}>
              {PRESET_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <label>
          Model{' '}
          <select
            value={plan.modelId}
            onChange={(e) => {
              const user = userModelRegistry.get(e.target.value);
              // A user's model gets its own quick plan; leaving one for the zoo starts from the zoo's.
              setPlan(user ? userModelPlan(user) : plan.userModel ? defaultPlan(e.target.value) : { ...plan, modelId: e.target.value });
            }}
            data-testid="model-select"
          >
            {zoo.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
            {userModels.map((m) => (
              <option key={m.modelId} value={m.modelId}>
                yours: {m.fileName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order{' '}
          <select
            value={plan.stages ?? 'one'}
            disabled={plan.sustained !== undefined}
            onChange={(e) => setPlan({ ...plan, stages: e.target.value === 'per-engine' ? 'per-engine' : 'one' })}
            aria-describedby="stages-note"
            data-testid="stages-select"
          >
            <option value="per-engine">engine by engine</option>
            <option value="one">all in every round</option>
          </select>
        </label>
      </div>
      {zooError && <p className="error">The model list could not be read: {zooError}</p>}
      {model && (
        <p className="explain" data-testid="model-summary">
          {model.description} · {model.task} · ONNX {formatBytes(model.artifactBytes.fp32?.onnx ?? 0)}, TF.js{' '}
          {formatBytes(model.artifactBytes.fp32?.tfjs ?? 0)}
          {qualityText(model)} · {model.license}
        </p>
      )}
      {!model && userModelRegistry.get(plan.modelId) && (
        <p className="explain" data-testid="model-summary">
          Your model {userModelRegistry.get(plan.modelId)?.fileName} · {userModelRegistry.get(plan.modelId)?.manifest.userModel?.data} · reference:{' '}
          {userModelRegistry.get(plan.modelId)?.manifest.userModel?.reference.computedBy}
        </p>
      )}
      <div className="engine-choices" role="group" aria-label="Engines">
        {ENGINE_IDS.map((id) => {
          const absent = engineAbsence(id, device);
          return (
            <span key={id} className={absent ? 'check unavailable-here' : 'check'}>
              <label className="check">
                <input type="checkbox" checked={enabled.has(id)} onChange={(e) => toggleEngine(id, e.target.checked)} aria-describedby={absent ? `absent-${id}` : undefined} />
                {ENGINES[id].label}
              </label>
              {/* Beside the label, not in it: the engine's name stays its accessible name. */}
              {absent && (
                <span className="explain" id={`absent-${id}`}>
                  (not on this device<span className="visually-hidden">: {absent}</span>; the list below says why)
                </span>
              )}
            </span>
          );
        })}
      </div>
      <div className="engine-choices" role="group" aria-label="Precisions">
        <span>Precisions</span>
        {PRECISIONS.map((p) => (
          <label key={p} className="check" title={model && !model.precisions.includes(p) ? 'This model ships no such variant' : undefined}>
            <input type="checkbox" checked={precisions.has(p)} onChange={(e) => togglePrecision(p, e.target.checked)} />
            {PRECISION_LABELS[p]}
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
        {model && model.sliceColumns.length >= 2 && (
          <label>
            Cross slices{' '}
            <select
              value={plan.fidelity.intersection?.join('|') ?? ''}
              onChange={(e) => {
                const [a, b] = e.target.value.split('|');
                const { intersection: _dropped, ...rest } = plan.fidelity;
                setPlan({ ...plan, fidelity: a && b ? { ...rest, intersection: [a, b] } : rest });
              }}
              data-testid="intersection-select"
            >
              <option value="">none</option>
              {model.sliceColumns.flatMap((a, i) =>
                model.sliceColumns.slice(i + 1).map((b) => (
                  <option key={`${a}|${b}`} value={`${a}|${b}`}>
                    {a} × {b}
                  </option>
                )),
              )}
            </select>
          </label>
        )}
        <label>
          Sampling{' '}
          <select
            value={typeof plan.rules === 'string' ? plan.rules : 'custom'}
            onChange={(e) => setPlan({ ...plan, rules: e.target.value === 'full' ? 'full' : 'quick' })}
          >
            <option value="quick">quick ({QUICK_RULES.rounds} short rounds)</option>
            <option value="full">full ({FULL_RULES.rounds} rounds, steadier P99)</option>
            {typeof plan.rules === 'object' && <option value="custom">custom (from URL)</option>}
          </select>
        </label>
      </div>
      <PlanPreviewList plan={plan} device={device} modelPrecisions={model?.precisions ?? null} predictions={userModelRegistry.get(plan.modelId)?.card.engines ?? null} />
    </fieldset>
  );
}
