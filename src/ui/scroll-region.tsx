import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways inside the page: focusable and named, so
 * a keyboard user can scroll it with the arrow keys and a screen reader says
 * what it holds.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
