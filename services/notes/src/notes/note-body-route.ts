import { Router } from 'express';
import { renderMarkdown } from './markdown.js';
import { parseNoteKey } from './note-key.js';
import type { NoteService } from './note-service.js';

/**
 * GET /notes/body?key=K: the rendered (sanitised) body of a note as an HTML fragment. The note page
 * fetches it after a `noteupdated` event, so event data itself is never turned into HTML.
 */
export function noteBodyRoute(notes: NoteService): Router {
  const router = Router();
  router.get('/notes/body', async (req, res) => {
    const note = await notes.read(parseNoteKey(req.query.key), req.user);
    res.type('html').set('Cache-Control', 'no-store').send(renderMarkdown(note.body));
  });
  return router;
}
