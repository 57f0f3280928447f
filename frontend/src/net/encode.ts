/** Client -> server messages (shared/protocol.md, "Client -> server"), as plain objects and text. */
import type { ClientMessage, Ref, TableParams } from './types';

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

export function unsubscribeTopic(topic: 'system' | 'processes', id?: Ref): ClientMessage {
  return withId({ type: 'unsubscribe', topic } as const, id);
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
