/** Milliseconds for humans: µs below 1 ms, three significant digits. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatRate(perSec: number): string {
  if (perSec >= 1e6) return `${(perSec / 1e6).toPrecision(3)} M/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toPrecision(3)} k/s`;
  return `${perSec.toPrecision(3)} /s`;
}

export function formatDiff(d: number): string {
  return Number.isFinite(d) ? d.toExponential(1) : '∞';
}

/**
 * Cost of a million predictions when the device costs `pricePerHour` and
 * serves `rowsPerSecond` back to back: the simplest honest model (one stream,
 * no idle time); the UI says so.
 */
export function costPerMillion(pricePerHour: number, rowsPerSecond: number): number {
  if (!(rowsPerSecond > 0)) return Number.POSITIVE_INFINITY;
  return (pricePerHour / 3600) * (1e6 / rowsPerSecond);
}

export function formatMoney(amount: number): string {
  if (!Number.isFinite(amount)) return '—';
  if (amount >= 1) return `$${amount.toFixed(2)}`;
  return `$${amount.toPrecision(2)}`;
}

/**
 * A ratio's number, without the "×": three significant figures at most (as
 * many as intervals this wide can carry), rounded before the form is chosen so
 * 9.996 reads "10.0" and 999.7 "1,000"; "∞" when unbounded.
 */
export function formatFactor(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  const y = Number(x.toPrecision(3));
  if (y === 0) return '0';
  if (y < 0.01) return y.toExponential(1);
  if (y < 10) return y.toFixed(2);
  if (y < 1000) return y.toPrecision(3);
  return y.toLocaleString('en-US');
}
