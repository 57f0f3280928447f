/** Client -> server messages (shared/protocol.md, "Client -> server"), as plain objects and text. */
import type { ClientMessage, HistoryQuery, Ref, TableParams, Topic } from './types';

/** Puts `id` right after `type`, as in the fixtures (key order does not matter on the wire). */
function withId<T extends { type: string }>(msg: T, id: Ref | undefined): T & { id?: Ref } {
  if (id === undefined) return msg;
  const { type, ...rest } = msg;
  return { type, id, ...rest } as T & { id?: Ref };
}

export function subscribePids(pids: readonly number[], id?: Ref): ClientMessage {
  return id === undefined ? { type: 'subscribe', pids: [...pids] } : { type: 'subscribe', id, pids: [...pids] };
}

export function unsubscribePids(pids: readonly number[], id?: Ref): ClientMessage {
  return id === undefined ? { type: 'unsubscribe', pids: [...pids] } : { type: 'unsubscribe', id, pids: [...pids] };
}

export function subscribeSystem(id?: Ref): ClientMessage {
  return withId({ type: 'subscribe', topic: 'system' } as const, id);
}

export function subscribeAlerts(id?: Ref): ClientMessage {
  return withId({ type: 'subscribe', topic: 'alerts' } as const, id);
}

export function unsubscribeTopic(topic: Topic, id?: Ref): ClientMessage {
  return withId({ type: 'unsubscribe', topic } as const, id);
}

/** A `history` request; members left undefined are not sent (the server's defaults apply). */
export function history(q: HistoryQuery, id?: Ref): ClientMessage {
  const msg: ClientMessage = { type: 'history', ...(id === undefined ? {} : { id }), pid: q.pid };
  if (q.start !== undefined) msg.start = q.start;
  if (q.from !== undefined) msg.from = q.from;
  if (q.to !== undefined) msg.to = q.to;
  return msg;
}

export function subscribeProcesses(params: TableParams, id?: Ref): ClientMessage {
  const msg = {
    type: 'subscribe',
    ...(id === undefined ? {} : { id }),
    topic: 'processes',
    sort: params.sort,
    order: params.order,
    limit: params.limit,
    filter: params.filter,
    kernel_threads: params.kernel_threads,
  } as const;
  return msg;
}

export function resync(id?: Ref): ClientMessage {
  return withId({ type: 'resync' } as const, id);
}

export function ping(id?: Ref): ClientMessage {
  return withId({ type: 'ping' } as const, id);
}

/** The text frame for a message. */
export function encode(msg: ClientMessage): string {
  return JSON.stringify(msg);
}
