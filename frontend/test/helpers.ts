/** Test helpers: the golden fixtures and an in-memory WebSocket. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebSocketLike } from '../src/net/client';

export const FIXTURES = process.env.PROCPULSE_FIXTURES ?? join(import.meta.dirname, '..', '..', 'shared', 'fixtures');

export function fixture(rel: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8')) as Record<string, unknown>;
}

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

/** A frontend-only sample message or REST body (test/fixtures/, see its README). */
export function sample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export function fixtureNames(dir: 'server' | 'client'): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** A WebSocket the test drives: `receive()` plays a server frame, `sent` holds client frames. */
export class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeSocket.instances.push(this);
  }

  static last(): FakeSocket {
    const s = FakeSocket.instances[FakeSocket.instances.length - 1];
    if (!s) throw new Error('no socket');
    return s;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
    this.readyState = 3;
  }

  /** The server sends a message. */
  receive(msg: unknown): void {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }

  /** The server (or the network) drops the connection. */
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  takeSent(): Record<string, unknown>[] {
    const s = this.sent;
    this.sent = [];
    return s;
  }
}
