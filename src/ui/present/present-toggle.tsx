import { useEffect } from 'react';
import { usePresentStore } from '../../store/present-store';

/** `?present=1` in the address, kept in step with the mode so a link opens the projector layout. */
function syncUrl(on: boolean): void {
  const url = new URL(window.location.href);
  if (on) url.searchParams.set('present', '1');
  else url.searchParams.delete('present');
  window.history.replaceState(window.history.state, '', url);
}

/** The button that turns presentation mode on and off; it also reads `?present=1` once and sets the page's class. */
export function PresentToggle() {
  const presenting = usePresentStore((s) => s.presenting);
  const setPresenting = usePresentStore((s) => s.setPresenting);

  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('present') === '1') setPresenting(true);
  }, [setPresenting]);

  useEffect(() => {
    document.documentElement.classList.toggle('present', presenting);
  }, [presenting]);

  return (
    <button
      type="button"
      aria-pressed={presenting}
      data-testid="present-toggle"
      onClick={() => {
        setPresenting(!presenting);
        syncUrl(!presenting);
      }}
    >
      {presenting ? 'Leave presentation mode' : 'Presentation mode'}
    </button>
  );
}
