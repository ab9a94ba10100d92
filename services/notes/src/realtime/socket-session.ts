import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import type { Visitor } from '../notes/note-policy.js';

interface SessionRequest extends IncomingMessage {
  session?: { passport?: { user?: unknown } };
}

/** Who is on a socket, from the HTTP session shared with Express; undefined if anonymous. */
export function socketVisitor(socket: Socket): Visitor {
  const user = (socket.request as SessionRequest).session?.passport?.user;
  return typeof user === 'string' ? { username: user } : undefined;
}
