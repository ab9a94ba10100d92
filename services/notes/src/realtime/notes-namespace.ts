import { AppError, type Logger } from '@notes/kit';
import type { Server } from 'socket.io';
import { parseCommentId, parseMessage, parseNoteKey } from '../comments/comment-input.js';
import type { CommentService } from '../comments/comment-service.js';
import type { NoteService } from '../notes/note-service.js';
import { answer } from './ack.js';
import { NOTES } from './broadcaster.js';
import { socketUsername } from './socket-session.js';

function object(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object') throw AppError.invalid('payload', 'must be an object');
  return value as Record<string, unknown>;
}

function requireUser(username: string | undefined): string {
  if (!username) throw AppError.unauthorized('Log in to comment');
  return username;
}

/**
 * `/notes`: a socket joins the room of one note (after checking the note exists; every visitor may
 * read), then creates, deletes and pages comments, each with an acknowledgement.
 */
export function setupNotesNamespace(
  io: Server,
  notes: NoteService,
  comments: CommentService,
  logger: Logger,
): void {
  io.of(NOTES).on('connection', (socket) => {
    socket.on('join', (payload: unknown, ack: unknown) =>
      answer(logger, ack, async () => {
        const key = parseNoteKey(object(payload).key);
        await notes.get(key);
        for (const room of socket.rooms) if (room !== socket.id) await socket.leave(room);
        await socket.join(key);
        return { key };
      }),
    );

    socket.on('create-message', (payload: unknown, ack: unknown) =>
      answer(logger, ack, async () => {
        const username = requireUser(socketUsername(socket));
        const body = object(payload);
        const key = parseNoteKey(body.key);
        const message = await comments.create(key, username, parseMessage(body.message));
        return { message };
      }),
    );

    socket.on('delete-message', (payload: unknown, ack: unknown) =>
      answer(logger, ack, async () => {
        const username = requireUser(socketUsername(socket));
        const id = parseCommentId(object(payload).id);
        await comments.destroy(id, username);
        return { id };
      }),
    );

    socket.on('older-messages', (payload: unknown, ack: unknown) =>
      answer(logger, ack, async () => {
        const body = object(payload);
        const key = parseNoteKey(body.key);
        const before = parseCommentId(body.before, 'before');
        const page = await comments.newest(key, before);
        const username = socketUsername(socket);
        const note = await notes.get(key);
        return {
          messages: page.comments.map((c) => ({
            ...c,
            mayDelete: username !== undefined && (c.from === username || note.owner === username),
          })),
          more: page.more,
        };
      }),
    );
  });
}
