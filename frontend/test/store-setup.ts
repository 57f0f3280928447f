// The store against a fake socket and a fake REST server, shared by the store tests.
import { ProcpulseClient } from '../src/net/client';
import { ProcpulseApi } from '../src/net/rest';
import { Store } from '../src/state/store';
import { FakeSocket, fixture } from './helpers';

export const EPOCH = 'c0ffee01-0001';

/** Lets pending promises settle, fetch bodies included (setImmediate is not faked here). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

export interface Setup {
  store: Store;
  ws: FakeSocket;
  frames: (() => void)[];
  calls: string[];
  /** Routes can be added while the test runs. */
  routes: Record<string, [number, unknown]>;
}

export function setup(routes: Record<string, [number, unknown]> = {}, storage: Storage | null = null): Setup {
  FakeSocket.instances = [];
  const calls: string[] = [];
  const fetch = (async (url: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${url.replace(/\?.*$/, '')}`;
    calls.push(`${init.method ?? 'GET'} ${url}`);
    const r = routes[key];
    if (!r) throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(r[1]), { status: r[0] });
  }) as unknown as typeof globalThis.fetch;
  const client = new ProcpulseClient({ url: 'ws://t/ws', WebSocket: FakeSocket });
  const frames: (() => void)[] = [];
  const store = new Store(client, (cb) => frames.push(cb), new ProcpulseApi({ base: 'http://t', fetch }), storage);
  client.subscribeAlerts();
  client.connect();
  const ws = FakeSocket.last();
  ws.open();
  return { store, ws, frames, calls, routes };
}

export async function hello(t: Setup, over: Record<string, unknown> = {}): Promise<void> {
  t.ws.receive({ ...fixture('server/hello.json'), epoch: EPOCH, seq: 1, interval_ms: 250, history_ms: 3_600_000, time: 1795655600, ...over });
  await flush();
}
