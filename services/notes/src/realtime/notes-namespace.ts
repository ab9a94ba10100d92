import type { Logger } from '@notes/kit';
import type { Server, Socket } from 'socket.io';
import { parseNoteKey } from '../notes/note-key.js';
import type { NoteService } from '../notes/note-service.js';
import { answer } from './ack.js';
import { NOTES } from './delivery.js';
import { payloadObject } from './socket-payload.js';
import { socketVisitor } from './socket-session.js';

/** A feature's socket requests on `/notes` (e.g. comments); registered on every connection. */
export type SocketHandlers = (socket: Socket) => void;

/**
 * `/notes`: a socket joins the room of one note, after the policy says its visitor may read it
 * (a note they may not read answers not_found, like a missing one). Live events reach the room's
 * sockets only while their visitor may still read the note (delivery.ts). The features add their own
 * requests (`handlers`).
 */
export function setupNotesNamespace(
  io: Server,
  notes: NoteService,
  handlers: SocketHandlers[],
  logger: Logger,
): void {
  io.of(NOTES).on('connection', (socket) => {
    socket.on('join', (payload: unknown, ack: unknown) =>
      answer(logger, ack, async () => {
        const key = parseNoteKey(payloadObject(payload).key);
        const visitor = socketVisitor(socket);
        await notes.read(key, visitor);
        for (const room of socket.rooms) if (room !== socket.id) await socket.leave(room);
        await socket.join(key);
        // Asked again once in the room: a change of access that landed between the first check
        // and the join was delivered before this socket was a member, so it would never hear of it.
        try {
          await notes.read(key, visitor);
        } catch (err) {
          await socket.leave(key);
          throw err;
        }
        return { key };
      }),
    );
    for (const register of handlers) register(socket);
  });
}
