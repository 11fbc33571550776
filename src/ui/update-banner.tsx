import { useEffect, useState } from 'react';
import { activateUpdate, onUpdateWaiting } from '../hosting/register-service-worker';

/** "A new version is ready": shown when a deploy's worker waits behind the one this page runs. */
export function UpdateBanner() {
  const [waiting, setWaiting] = useState(false);
  useEffect(() => {
    if (import.meta.env.PROD) onUpdateWaiting(() => setWaiting(true));
  }, []);
  if (!waiting) return null;
  return (
    <p className="update-banner" role="status">
      A new version of the lab is ready.{' '}
      <button type="button" onClick={() => void activateUpdate()}>
        Reload to use it
      </button>
    </p>
  );
}
