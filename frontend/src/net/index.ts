/**
 * procpulse client library: connect to a procpulse server, subscribe to processes and topics, and
 * read a live state document kept in sync by merge-patch deltas. See CLIENT.md for an example.
 */
export { ProcpulseClient, DEFAULT_TABLE, closeReason } from './client';
export type {
  ClientEvents,
  ClientError,
  ClientOptions,
  ConnectionState,
  ConnectionStatus,
  DeltaEvent,
  ProcessListener,
  WebSocketCtor,
  WebSocketLike,
} from './client';
export { decode, decodeValue, decodeAlertEvent, decodeAlertEvents, decodeColumns, decodeRule } from './decode';
export type { Checked, Decoded } from './decode';
export { ProcpulseApi, apiBaseFromSocketUrl, historyQuery } from './rest';
export type { AlertOverview, ApiOptions, ApiResult, HistoryRange, ProcessHistory } from './rest';
export * as encoders from './encode';
export { applyMergePatch, mergePatch } from './merge';
export * from './types';
