import { io, type Socket } from 'socket.io-client';

/**
 * A socket.io-client connection over WebSocket, as a page of `base` would open it: with the
 * page's origin (unless `origin: null`), the session cookie if given, and the CA of a test
 * certificate for https bases.
 */
export async function connectSocket(
  base: string,
  namespace: '/home' | '/notes' | '/collab',
  options: {
    cookie?: string;
    origin?: string | null;
    ca?: string;
    timeoutMs?: number;
    /** Reconnect by itself after a drop (as a page does); default false. */
    reconnection?: boolean;
  } = {},
): Promise<Socket> {
  const headers: Record<string, string> = {};
  if (options.origin !== null) headers.origin = options.origin ?? base;
  if (options.cookie) headers.cookie = options.cookie;
  const socket = io(base + namespace, {
    transports: ['websocket'],
    extraHeaders: headers,
    ...(options.ca ? { ca: options.ca } : {}),
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
    timeout: options.timeoutMs ?? 5000,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
  return socket;
}

export interface AckAnswer {
  ok: boolean;
  error?: { code: string; message: string; field?: string };
  [k: string]: unknown;
}

export function emitAck(socket: Socket, event: string, payload: unknown): Promise<AckAnswer> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<AckAnswer>;
}

/** Resolves with the next `event` payload matching `match`; rejects after timeoutMs. */
export function nextEvent<T = unknown>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Collects every `event` payload, to prove that something did NOT arrive. */
export function collect<T = unknown>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}
