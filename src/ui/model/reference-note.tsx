import type { ResultsDocument } from '../../lab/results/results';

/** Who computed the reference every cell was checked against, said wherever results are shown. */
export function ReferenceNote({ model }: { model: ResultsDocument['model'] }) {
  const reference = model.reference;
  if (!reference) return null;
  return (
    <p className={reference.kind === 'page' ? 'warning' : 'explain'} data-testid="reference-note" data-kind={reference.kind}>
      Reference: {reference.computedBy} {reference.kind === 'page' ? '(in this page, not native)' : '(native)'}. {reference.note}
      {model.userModel ? ` Your model ${model.userModel.fileName} (SHA-256 ${model.userModel.sha256.slice(0, 12)}…); rows: ${model.userModel.data}.` : ''}
    </p>
  );
}
