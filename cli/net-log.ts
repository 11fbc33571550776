import { readFileSync } from 'node:fs';

/**
 * Reads Chromium's network log (`--log-net-log`, netlog JSON) and says what
 * the browser tried to reach and what it actually exchanged bytes with, so
 * the claim "the browser reached no host but the lab's server" is checked
 * against the browser's own record, not against what the page reported.
 */

/** One socket: where it tried to go, whether it got there, and whether it sent anything. */
export interface NetLogSocket {
  protocol: 'tcp' | 'udp';
  /** ip:port the socket connected (or tried to connect) to. */
  address: string;
  /** TCP: the handshake completed. UDP: a connect() only picks a route and sends nothing, so this is false. */
  connected: boolean;
  bytesSent: number;
}

export interface NetLogSummary {
  /** Every URL a request was started for (the page's, its workers', the browser's own services'), with its net error if it failed. */
  requests: { url: string; netError?: number }[];
  /** Every host name the browser asked its resolver for, with its net error if it failed. */
  lookups: { host: string; netError?: number }[];
  sockets: NetLogSocket[];
  events: number;
}

interface NetLogEvent {
  type?: number;
  phase?: number;
  source?: { id?: number };
  params?: Record<string, unknown>;
}
interface NetLogJson {
  constants?: { logEventTypes?: Record<string, number>; logEventPhase?: Record<string, number> };
  events?: NetLogEvent[];
}

/** A log of a browser that did not close cleanly lacks its closing brackets: finish it rather than lose it. */
export function parseNetLog(text: string): NetLogJson {
  try {
    return JSON.parse(text) as NetLogJson;
  } catch {
    return JSON.parse(`${text.trimEnd().replace(/,$/, '')}]}`) as NetLogJson;
  }
}

const k_phase_end = 2;

function netError(params: Record<string, unknown> | undefined): number | undefined {
  return typeof params?.net_error === 'number' ? params.net_error : undefined;
}

export function summariseNetLog(log: NetLogJson): NetLogSummary {
  const names = new Map(Object.entries(log.constants?.logEventTypes ?? {}).map(([name, id]) => [id, name]));
  const end = log.constants?.logEventPhase?.PHASE_END ?? k_phase_end;
  const bySource = new Map<number, { name: string; event: NetLogEvent }[]>();
  const events = log.events ?? [];
  for (const event of events) {
    const id = event.source?.id ?? -1;
    const list = bySource.get(id) ?? [];
    list.push({ name: names.get(event.type ?? -1) ?? '', event });
    bySource.set(id, list);
  }

  const requests: NetLogSummary['requests'] = [];
  const lookups: NetLogSummary['lookups'] = [];
  const sockets: NetLogSocket[] = [];
  for (const list of bySource.values()) {
    // A URL request: REQUEST_ALIVE begins with its URL and ends with its net error.
    const alive = list.filter((e) => e.name === 'REQUEST_ALIVE');
    const url = alive.map((e) => e.event.params?.url).find((u): u is string => typeof u === 'string');
    if (url !== undefined) {
      const error = netError(alive.find((e) => e.event.phase === end)?.event.params);
      requests.push({ url, ...(error !== undefined ? { netError: error } : {}) });
    }
    // Resolver requests: a begin with the host, then an end with the error if it failed.
    let host: string | undefined;
    for (const { name, event } of list) {
      if (name !== 'HOST_RESOLVER_MANAGER_REQUEST') continue;
      if (event.phase !== end && typeof event.params?.host === 'string') host = event.params.host;
      else if (event.phase === end && host !== undefined) {
        const error = netError(event.params);
        lookups.push({ host, ...(error !== undefined ? { netError: error } : {}) });
        host = undefined;
      }
    }
    const bytes = (kind: string) => list.filter((e) => e.name === kind).reduce((n, e) => n + (typeof e.event.params?.byte_count === 'number' ? e.event.params.byte_count : 1), 0);
    const tcp = list.filter((e) => e.name === 'TCP_CONNECT_ATTEMPT' && e.event.phase !== end);
    for (const attempt of tcp) {
      const address = attempt.event.params?.address;
      if (typeof address !== 'string') continue;
      const done = list.find((e) => e.name === 'TCP_CONNECT' && e.event.phase === end);
      const connected = done !== undefined && netError(done.event.params) === undefined && done.event.params?.remote_address === address;
      sockets.push({ protocol: 'tcp', address, connected, bytesSent: connected ? bytes('SOCKET_BYTES_SENT') : 0 });
    }
    const udp = list.find((e) => e.name === 'UDP_CONNECT' && e.event.phase !== end)?.event.params?.address;
    if (typeof udp === 'string') sockets.push({ protocol: 'udp', address: udp, connected: false, bytesSent: bytes('UDP_BYTES_SENT') });
  }
  return { requests, lookups, sockets, events: events.length };
}

export function readNetLog(path: string): NetLogSummary {
  return summariseNetLog(parseNetLog(readFileSync(path, 'utf8')));
}

export interface NetLogVerdict {
  /** Endpoints other than the lab's server that the browser connected to or sent bytes to: must be empty. */
  contacted: string[];
  /** Requests for other URLs that the browser's own services started; each failed without reaching anyone. */
  blocked: string[];
  /** Requests to other URLs that did not fail: must be empty. */
  unblocked: string[];
}

/** Judges a summary against the lab's origin (e.g. http://127.0.0.1:4330). */
export function judgeNetLog(summary: NetLogSummary, origin: string): NetLogVerdict {
  const here = new URL(origin).host;
  const local = (url: string) => url === origin || url.startsWith(`${origin}/`) || /^(data|blob):/.test(url);
  const foreign = summary.requests.filter((r) => !local(r.url));
  return {
    contacted: [...new Set(summary.sockets.filter((s) => s.address !== here && (s.connected || s.bytesSent > 0)).map((s) => `${s.protocol} ${s.address}`))],
    blocked: [...new Set(foreign.filter((r) => r.netError !== undefined).map((r) => new URL(r.url).origin))].sort(),
    unblocked: [...new Set(foreign.filter((r) => r.netError === undefined).map((r) => r.url))],
  };
}

export function describeNetLog(summary: NetLogSummary, origin: string, path: string): string {
  const v = judgeNetLog(summary, origin);
  const leaks = [...v.contacted, ...v.unblocked];
  const head = `  network log ${path} (${summary.events} events)`;
  if (leaks.length > 0) return `${head}: ⚠ the browser reached ${leaks.join(', ')} besides ${origin}`;
  const blocked = v.blocked.length > 0 ? `; Chromium's own services tried ${v.blocked.join(', ')} and were stopped before any connection` : '';
  return `${head}: the browser exchanged data only with ${origin}${blocked}`;
}
