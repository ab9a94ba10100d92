import type { Logger } from '@notes/kit';
import type { Server, Socket } from 'socket.io';
import { parseNoteKey } from '../notes/note-key.js';
import type { NoteService } from '../notes/note-service.js';
import { answer } from './ack.js';
import { NOTES } from './broadcaster.js';
import { payloadObject } from './socket-payload.js';
import { socketVisitor } from './socket-session.js';

/** A feature's socket requests on `/notes` (e.g. comments); registered on every connection. */
export type SocketHandlers = (socket: Socket) => void;

/**
 * `/notes`: a socket joins the room of one note, after the policy says its visitor may read it
 * (a note they may not read answers not_found, like a missing one). The features add their own
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
        await notes.read(key, socketVisitor(socket));
        for (const room of socket.rooms) if (room !== socket.id) await socket.leave(room);
        await socket.join(key);
        return { key };
      }),
    );
    for (const register of handlers) register(socket);
  });
}
