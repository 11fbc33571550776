import { describe, expect, it } from 'vitest';
import { describeNetLog, judgeNetLog, parseNetLog, summariseNetLog } from './net-log';

const TYPES = { REQUEST_ALIVE: 1, HOST_RESOLVER_MANAGER_REQUEST: 2, TCP_CONNECT: 3, TCP_CONNECT_ATTEMPT: 4, SOCKET_BYTES_SENT: 5, UDP_CONNECT: 6, UDP_BYTES_SENT: 7 };
type Name = keyof typeof TYPES;
const ev = (source: number, name: Name, phase: 0 | 1 | 2, params?: Record<string, unknown>) => ({ source: { id: source }, type: TYPES[name], phase, ...(params ? { params } : {}) });
const LAB = 'http://127.0.0.1:4330';

/** A log shaped like Chromium 156's: the lab's page load, a blocked update check, the resolver's IPv6 route probe. */
function log(extra: ReturnType<typeof ev>[] = []) {
  return {
    constants: { logEventTypes: TYPES, logEventPhase: { PHASE_BEGIN: 1, PHASE_END: 2, PHASE_NONE: 0 } },
    events: [
      ev(1, 'REQUEST_ALIVE', 1, { url: `${LAB}/inference-lab/` }),
      ev(1, 'REQUEST_ALIVE', 2),
      ev(2, 'HOST_RESOLVER_MANAGER_REQUEST', 1, { host: LAB }),
      ev(2, 'HOST_RESOLVER_MANAGER_REQUEST', 2),
      ev(3, 'TCP_CONNECT', 1, { address_list: ['127.0.0.1:4330'] }),
      ev(3, 'TCP_CONNECT_ATTEMPT', 1, { address: '127.0.0.1:4330' }),
      ev(3, 'TCP_CONNECT_ATTEMPT', 2),
      ev(3, 'TCP_CONNECT', 2, { remote_address: '127.0.0.1:4330' }),
      ev(3, 'SOCKET_BYTES_SENT', 0, { byte_count: 600 }),
      ev(4, 'REQUEST_ALIVE', 1, { url: 'https://update.googleapis.com/service/update2/json' }),
      ev(4, 'REQUEST_ALIVE', 2, { net_error: -130 }),
      ev(5, 'TCP_CONNECT', 1, { address_list: ['127.0.0.1:9'] }),
      ev(5, 'TCP_CONNECT_ATTEMPT', 1, { address: '127.0.0.1:9' }),
      ev(5, 'TCP_CONNECT_ATTEMPT', 2, { os_error: 111 }),
      ev(5, 'TCP_CONNECT', 2, { net_error: -102 }),
      ev(6, 'HOST_RESOLVER_MANAGER_REQUEST', 1, { host: 'https://~notfound' }),
      ev(6, 'HOST_RESOLVER_MANAGER_REQUEST', 2, { net_error: -105 }),
      ev(7, 'UDP_CONNECT', 1, { address: '[2001:4860:4860::8888]:443' }),
      ev(7, 'UDP_CONNECT', 2),
      ...extra,
    ],
  };
}

describe('net-log', () => {
  it('reads requests, lookups and sockets with their outcome', () => {
    const s = summariseNetLog(log());
    expect(s.requests).toEqual([{ url: `${LAB}/inference-lab/` }, { url: 'https://update.googleapis.com/service/update2/json', netError: -130 }]);
    expect(s.lookups).toEqual([{ host: LAB }, { host: 'https://~notfound', netError: -105 }]);
    expect(s.sockets).toEqual([
      { protocol: 'tcp', address: '127.0.0.1:4330', connected: true, bytesSent: 600 },
      { protocol: 'tcp', address: '127.0.0.1:9', connected: false, bytesSent: 0 },
      { protocol: 'udp', address: '[2001:4860:4860::8888]:443', connected: false, bytesSent: 0 },
    ]);
  });

  it('passes a run that exchanged data only with the lab, naming what was stopped', () => {
    const s = summariseNetLog(log());
    expect(judgeNetLog(s, LAB)).toEqual({ contacted: [], blocked: ['https://update.googleapis.com'], unblocked: [] });
    expect(describeNetLog(s, LAB, 'n.json')).toBe(
      "  network log n.json (19 events): the browser exchanged data only with http://127.0.0.1:4330; Chromium's own services tried https://update.googleapis.com and were stopped before any connection",
    );
  });

  it('fails a TCP connection to another host, a UDP datagram sent anywhere, and a foreign request that did not fail', () => {
    const s = summariseNetLog(
      log([
        ev(8, 'TCP_CONNECT_ATTEMPT', 1, { address: '142.250.1.1:443' }),
        ev(8, 'TCP_CONNECT', 2, { remote_address: '142.250.1.1:443' }),
        ev(9, 'UDP_CONNECT', 1, { address: '8.8.8.8:53' }),
        ev(9, 'UDP_BYTES_SENT', 0, { byte_count: 40 }),
        ev(10, 'REQUEST_ALIVE', 1, { url: 'https://cdn.example/ort.wasm' }),
        ev(10, 'REQUEST_ALIVE', 2),
      ]),
    );
    const v = judgeNetLog(s, LAB);
    expect(v.contacted).toEqual(['tcp 142.250.1.1:443', 'udp 8.8.8.8:53']);
    expect(v.unblocked).toEqual(['https://cdn.example/ort.wasm']);
    expect(describeNetLog(s, LAB, 'n.json')).toContain('⚠ the browser reached tcp 142.250.1.1:443, udp 8.8.8.8:53, https://cdn.example/ort.wasm besides http://127.0.0.1:4330');
  });

  it('reads a log whose browser did not close it', () => {
    const text = JSON.stringify(log()).replace(/\]\}$/, ',\n');
    expect(summariseNetLog(parseNetLog(text)).events).toBe(19);
  });
});
