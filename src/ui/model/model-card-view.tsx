import { ENGINES } from '../../lab/engines/engine-descriptors';
import type { ModelCard } from '../../lab/models/user/model-card';
import { formatLabel } from '../../lab/models/model-formats';
import { flopShares, type FlopCount } from '../../lab/models/onnx-flops';
import type { CellResult } from '../../lab/results/results';
import { formatBytes } from '../../lab/util/format';

function flopsText(flops: FlopCount): string {
  if (flops.state === 'uncounted') return `n/a: ${flops.reason}`;
  return `${flops.flopsPerRow.toLocaleString('en-US')} (${flopShares(flops)})`;
}

const shape = (dims: (number | string)[] | null) => (dims ? `[${dims.join(', ')}]` : 'shape not declared');

/** What running confirmed for an engine: its FP32 cell's state, when the last run was this model's. */
function confirmed(cells: readonly CellResult[], engine: string): string {
  const cell = cells.find((c) => c.engine === engine && c.precision === 'fp32');
  if (!cell) return '—';
  if (cell.state === 'completed') return 'ran: completed';
  if (cell.state === 'unavailable') return `unavailable: ${cell.reason}`;
  if (cell.state === 'errored') return `errored: ${cell.error.message}`;
  return cell.state;
}

/** The model card: what the file is, what each engine is predicted to do (then what it did), what the lab changed and made. */
export function ModelCardView({ card, cells }: { card: ModelCard; cells: readonly CellResult[] }) {
  return (
    <div className="model-card" data-testid="model-card">
      <h3>
        {card.fileName} <span className="explain">({card.format === 'tfjs' ? `TF.js ${card.subformat ?? ''}` : formatLabel(card.format)}, {formatBytes(card.bytes)}, SHA-256 {card.sha256.slice(0, 12)}…)</span>
      </h3>
      <p className="explain">
        {card.producer ? `Producer: ${card.producer}. ` : ''}
        {card.irVersion ? `IR version ${card.irVersion}. ` : ''}
        {card.opsets.length > 0 ? `Opsets: ${card.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}.` : ''}
      </p>
      <table data-testid="model-io">
        <thead>
          <tr>
            <th>Tensor</th>
            <th>Name</th>
            <th>Type</th>
            <th>Shape</th>
          </tr>
        </thead>
        <tbody>
          {card.inputs.map((t) => (
            <tr key={`in-${t.name}`}>
              <td>input</td>
              <td>{t.name}</td>
              <td>{t.type}</td>
              <td>{shape(t.shape)}</td>
            </tr>
          ))}
          {card.outputs.map((t) => (
            <tr key={`out-${t.name}`}>
              <td>output</td>
              <td>{t.name}</td>
              <td>{t.type}</td>
              <td>{shape(t.shape)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="model-operators">
        <strong>Operators</strong>: {card.operators.map((o) => `${o.domain && o.domain !== 'tf' && o.domain !== 'layers' ? `${o.domain}.` : ''}${o.op} ×${o.count}`).join(', ')}
      </p>
      <p>
        <strong>Parameters</strong>: {card.parameters.count.toLocaleString('en-US')} ({formatBytes(card.parameters.bytes)}) <span className="explain">— {card.parameters.note}</span>
        <br />
        <strong>FLOPs per row</strong>: {flopsText(card.flops)}
      </p>
      <table data-testid="model-engines">
        <thead>
          <tr>
            <th>Engine</th>
            <th>Predicted</th>
            <th>What it lacks / how the lab knows</th>
            <th>Running said</th>
          </tr>
        </thead>
        <tbody>
          {card.engines.map((e) => (
            <tr key={e.engine} data-engine={e.engine} data-verdict={e.verdict}>
              <td>{ENGINES[e.engine].label}</td>
              <td>
                <span className={`badge ${e.verdict === 'runs' ? 'badge-available' : e.verdict === 'cannot' ? 'badge-errored' : 'badge-unavailable'}`}>{e.verdict === 'runs' ? 'runs' : e.verdict === 'cannot' ? 'cannot' : 'run to see'}</span>
              </td>
              <td className="cell-message">
                {e.missing.length > 0 ? `${e.missing.join(', ')} — ` : ''}
                <span className="explain">{e.source}</span>
              </td>
              <td className="cell-message">{confirmed(cells, e.engine)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {card.measured && (
        <div data-testid="model-measured">
          <p>
            <strong>What the lab runs</strong>: input <code>{card.measured.input}</code>, output <code>{card.measured.output}</code> {shape(card.measured.outputShape)}.
            {card.measured.changes.length === 0 ? ' The file runs as it came.' : ' Changes to the graph\'s edges, and only there:'}
          </p>
          {card.measured.changes.length > 0 && (
            <ul className="explain">
              {card.measured.changes.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {card.variants && (
        <div data-testid="model-variants">
          <strong>Variants made in this page</strong>
          <ul>
            {card.variants.map((v) => (
              <li key={v.precision} data-precision={v.precision} data-state={v.state}>
                <strong>{v.precision}</strong>: {v.summary}
                {v.details.length > 0 && (
                  <ul className="explain">
                    {v.details.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                )}
                {v.warnings.map((w) => (
                  <p key={w} className="warning" data-testid="variant-warning">
                    {w}
                  </p>
                ))}
              </li>
            ))}
          </ul>
        </div>
      )}
      {card.warnings.filter((w) => !(card.variants ?? []).some((v) => v.warnings.includes(w))).map((w) => (
        <p key={w} className="warning">
          {w}
        </p>
      ))}
    </div>
  );
}
