/**
 * Catches console.log lines that a runtime prints instead of returning
 * (onnxruntime's trace). Emscripten binds console.log when its module is
 * instantiated, so this must be installed before the runtime starts; the lab
 * does so only in profiling workers, which are never timed.
 */
export interface ConsoleCapture {
  /** Lines kept since the last take(), which empties the store. */
  take(): string[];
  stop(): void;
}

export function captureConsoleLog(keep: (line: string) => boolean): ConsoleCapture {
  /* eslint-disable no-console -- the runtime's only output channel for its trace */
  const original = console.log;
  let kept: string[] = [];
  const patched = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (keep(line)) kept.push(line);
    else original.apply(console, args);
  };
  console.log = patched;
  return {
    take() {
      const out = kept;
      kept = [];
      return out;
    },
    stop() {
      if (console.log === patched) console.log = original;
    },
  };
  /* eslint-enable no-console */
}

/** A line of onnxruntime's trace: an event object or the brackets around the list. */
export function isOrtTraceLine(line: string): boolean {
  const t = line.trim();
  return t.startsWith('{"cat"') || t === '[' || t === ']';
}
