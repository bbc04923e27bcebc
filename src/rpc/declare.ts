// How a protocol method is declared: its name and the decoders of its params and result. Each
// method is declared once, in the area file under src/rpc/protocol/ that mirrors the Swift side;
// the client, the fake client and the fixture tests all read these declarations.
import type { Decoder } from './decode.js';

export interface RequestDecl<P, R> {
  readonly kind: 'request';
  readonly method: string;
  /** null: the method takes no params (the message has none). */
  readonly params: Decoder<P> | null;
  readonly result: Decoder<R>;
}

export interface NotificationDecl<P> {
  readonly kind: 'notification';
  readonly method: string;
  readonly params: Decoder<P> | null;
  /** Notifications have no result (a field here so code can read `.result` of any method). */
  readonly result?: undefined;
}

export type MethodDecl = RequestDecl<unknown, unknown> | NotificationDecl<unknown>;

export function request<P, R>(method: string, params: Decoder<P>, result: Decoder<R>): RequestDecl<P, R> {
  return { kind: 'request', method, params, result };
}

/** A request whose message carries no params (only `shutdown`). */
export function requestWithoutParams<R>(method: string, result: Decoder<R>): RequestDecl<undefined, R> {
  return { kind: 'request', method, params: null, result };
}

export function notification<P>(method: string, params: Decoder<P>): NotificationDecl<P> {
  return { kind: 'notification', method, params };
}

export function notificationWithoutParams(method: string): NotificationDecl<undefined> {
  return { kind: 'notification', method, params: null };
}

export function isMethodDecl(value: unknown): value is MethodDecl {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, method } = value as { kind?: unknown; method?: unknown };
  return (kind === 'request' || kind === 'notification') && typeof method === 'string';
}
