import { useEffect } from 'react';
import { formatBytes } from '../../lab/util/format';
import { useUserModelStore } from '../../store/user-model-store';

/** Models the user asked to keep on this device: take one in again, or forget it. */
export function KeptModelsList() {
  const kept = useUserModelStore((s) => s.kept);
  const refreshKept = useUserModelStore((s) => s.refreshKept);
  const openKept = useUserModelStore((s) => s.openKept);
  const forgetKept = useUserModelStore((s) => s.forgetKept);
  useEffect(() => {
    void refreshKept();
  }, [refreshKept]);
  if (kept.length === 0) return null;
  return (
    <div data-testid="kept-models">
      <strong>Kept on this device</strong> <span className="explain">(IndexedDB of this site, because you asked; nothing else is stored)</span>
      <ul>
        {kept.map((k) => (
          <li key={k.sha256}>
            {k.fileName} <span className="explain">({formatBytes(k.bytes)}, kept {k.keptAt.slice(0, 10)})</span>{' '}
            <button onClick={() => void openKept(k.sha256)}>Open</button>{' '}
            <button onClick={() => void forgetKept(k.sha256)} aria-label={`Forget ${k.fileName}`}>
              Forget
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
