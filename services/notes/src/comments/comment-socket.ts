import type { Logger } from '@notes/kit';
import type { Socket } from 'socket.io';
import { parseNoteKey } from '../notes/note-key.js';
import type { NoteService } from '../notes/note-service.js';
import { answer } from '../realtime/ack.js';
import { payloadObject, signedIn } from '../realtime/socket-payload.js';
import { socketVisitor } from '../realtime/socket-session.js';
import type { SocketWriteGate } from '../realtime/socket-writes.js';
import { parseCommentId, parseMessage } from './comment-input.js';
import { presentComment, presentCommentsFor } from './comment-presenter.js';
import { COMMENT_UNDO_MS, type CommentService } from './comment-service.js';

/**
 * The comment requests of a `/notes` socket (DESIGN 4.2), each answered through its
 * acknowledgement: `create-message`, `edit-message` (the author's new text), `delete-message`
 * (undoable for COMMENT_UNDO_MS: the answer says how long), `undo-delete-message`, `older-messages`. The writes pass the
 * write gate first (rate limits: a `rate_limited` answer).
 */
export function commentSocketHandlers(
  comments: CommentService,
  notes: NoteService,
  writeGate: SocketWriteGate,
  logger: Logger,
) {
  return (socket: Socket): void => {
    socket.on('create-message', (payload: unknown, ack: unknown) =>
      answer(logger, ack, () =>
        writeGate(socket, async () => {
          const visitor = signedIn(socketVisitor(socket), 'Log in to comment');
          const body = payloadObject(payload);
          const key = parseNoteKey(body.key);
          const comment = await comments.create(key, visitor, parseMessage(body.message));
          return { message: presentComment(comment) };
        }),
      ),
    );

    socket.on('delete-message', (payload: unknown, ack: unknown) =>
      answer(logger, ack, () =>
        writeGate(socket, async () => {
          const visitor = signedIn(socketVisitor(socket), 'Log in to comment');
          const id = parseCommentId(payloadObject(payload).id);
          await comments.destroy(id, visitor, { undoable: true });
          return { id, undoMs: COMMENT_UNDO_MS };
        }),
      ),
    );

    socket.on('undo-delete-message', (payload: unknown, ack: unknown) =>
      answer(logger, ack, () =>
        writeGate(socket, async () => {
          const visitor = signedIn(socketVisitor(socket), 'Log in to comment');
          const id = parseCommentId(payloadObject(payload).id);
          return { message: presentComment(await comments.undoDestroy(id, visitor)) };
        }),
      ),
    );

    socket.on('edit-message', (payload: unknown, ack: unknown) =>
      answer(logger, ack, () =>
        writeGate(socket, async () => {
          const visitor = signedIn(socketVisitor(socket), 'Log in to comment');
          const body = payloadObject(payload);
          const id = parseCommentId(body.id);
          const comment = await comments.edit(id, visitor, parseMessage(body.message));
          return { message: presentComment(comment) };
        }),
      ),
    );

    socket.on('older-messages', (payload: unknown, ack: unknown) =>
      answer(logger, ack, async () => {
        const body = payloadObject(payload);
        const key = parseNoteKey(body.key);
        const before = parseCommentId(body.before, 'before');
        const visitor = socketVisitor(socket);
        const note = await notes.read(key, visitor);
        const page = await comments.newest(note, before);
        return { messages: presentCommentsFor(page.comments, note, visitor), more: page.more };
      }),
    );
  };
}
