import { AppError } from '@notes/kit';
import express, { Router } from 'express';
import { requireLogin } from '../auth/require-login.js';
import { csrfProtection } from '../http/csrf.js';
import { renderMarkdown } from '../notes/markdown.js';
import { BODY_LIMIT_TEXT, BODY_MAX, NOTE_FORM_BYTES } from '../notes/note-input.js';

/**
 * POST /notes/preview (`text/plain` Markdown, the form token in `X-CSRF-Token`): the editor's
 * preview, rendered and sanitised by the same function as the note page (DESIGN 4.9: no second
 * renderer with other rules). Signed-in users only; nothing is stored.
 */
export function previewRoute(): Router {
  const router = Router();
  const text = express.text({ type: 'text/plain', limit: NOTE_FORM_BYTES });
  router.post('/notes/preview', text, csrfProtection, requireLogin, (req, res) => {
    const source = typeof req.body === 'string' ? req.body : '';
    if (source.length > BODY_MAX * 2) throw AppError.invalid('body', `must be at most ${BODY_LIMIT_TEXT}`);
    res.type('html').set('Cache-Control', 'no-store').send(renderMarkdown(source));
  });
  return router;
}
