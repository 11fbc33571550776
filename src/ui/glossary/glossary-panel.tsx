import { glossary } from '../../lab/glossary';
import type { GlossaryEntry } from '../../lab/glossary';

/** Every engine, precision variant, figure, metric, idea and symbol in plain words (the notes live in the core, lab/glossary.ts). */
export function GlossaryPanel() {
  const entries = glossary();
  const groups = [...new Set(entries.map((e) => e.group))];
  return (
    <section className="panel" aria-labelledby="glossary-heading" id="glossary" data-testid="glossary">
      <h2 id="glossary-heading">Glossary</h2>
      <details>
        <summary>Every engine, precision variant, figure, metric and symbol on this page, in plain words</summary>
        {groups.map((group) => (
          <div key={group}>
            <h3>{group}</h3>
            <dl className="glossary">
              {entries
                .filter((e: GlossaryEntry) => e.group === group)
                .map((e) => (
                  <div key={e.term} className="glossary-entry">
                    <dt>{e.term}</dt>
                    <dd>{e.note}</dd>
                  </div>
                ))}
            </dl>
          </div>
        ))}
      </details>
    </section>
  );
}
