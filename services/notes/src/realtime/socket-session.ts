import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';

interface SessionRequest extends IncomingMessage {
  session?: { passport?: { user?: unknown } };
}

/** The logged-in username of a socket, from the HTTP session shared with Express; undefined if anonymous. */
export function socketUsername(socket: Socket): string | undefined {
  const user = (socket.request as SessionRequest).session?.passport?.user;
  return typeof user === 'string' ? user : undefined;
}
