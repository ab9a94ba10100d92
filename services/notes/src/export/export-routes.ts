import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@notes/kit';
import { Router } from 'express';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import type { Note } from '../notes/note.js';
import { parseNoteKey } from '../notes/note-key.js';
import type { NoteService } from '../notes/note-service.js';
import { markdownFileName, noteMarkdown } from './export-markdown.js';
import { notesZip } from './notes-zip.js';

/**
 * `GET /notes/export?key=K`: the note as a Markdown file, for those who may read it (else 404).
 * `GET /notes/export` (no key): every note the signed-in user may read as a zip of such files,
 * streamed: the notes are read a page at a time and each file is sent as it is made, so neither
 * the notes nor the zip are ever held whole. Anonymous visitors are sent to sign in: the zip is
 * how people carry their notes elsewhere, and a zip of everything public for anyone would only be
 * a cheap way to make the server work hard (one public note still exports with its key).
 */
export function exportRoutes(notes: NoteService, logger: Logger): Router {
  const router = Router();
  router.get('/notes/export', (req, res, next) => {
    if (req.query.key === undefined) return requireLogin(req, res, next);
    next();
  });
  router.get('/notes/export', async (req, res) => {
    if (req.query.key !== undefined) {
      const note = await notes.read(parseNoteKey(req.query.key), req.user);
      res.type('text/markdown; charset=utf-8').attachment(markdownFileName(note)).send(noteMarkdown(note));
      return;
    }
    const user = signedInUser(req);
    const chunks = notesZip(await primed(notes.readableNotes(user)));
    res.set('Cache-Control', 'private, no-store');
    res.type('application/zip').attachment(`notes-${new Date().toISOString().slice(0, 10)}.zip`);
    try {
      await pipeline(Readable.from(chunks), res);
    } catch (err) {
      // Headers and part of the zip are out: the broken connection tells the browser it failed
      // (a zip without its directory at the end is never mistaken for a whole one).
      logger.warn({ err, user: user.username }, 'notes export ended early');
      res.destroy();
    }
  });
  return router;
}

/** Reads the first note now (a store fault before the response starts becomes the 503 page). */
async function primed(notes: AsyncGenerator<Note>): Promise<AsyncIterable<Note>> {
  const first = await notes.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* notes;
  })();
}
