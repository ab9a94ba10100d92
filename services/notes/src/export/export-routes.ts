import { Router } from 'express';
import { parseNoteKey } from '../notes/note-key.js';
import type { NoteService } from '../notes/note-service.js';
import { markdownFileName, noteMarkdown } from './export-markdown.js';

/** `GET /notes/export?key=K`: the note as a Markdown file, for those who may read it (else 404). */
export function exportRoutes(notes: NoteService): Router {
  const router = Router();
  router.get('/notes/export', async (req, res) => {
    const note = await notes.read(parseNoteKey(req.query.key), req.user);
    res.type('text/markdown; charset=utf-8').attachment(markdownFileName(note)).send(noteMarkdown(note));
  });
  return router;
}
