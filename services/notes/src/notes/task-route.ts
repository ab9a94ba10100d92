import { AppError } from '@notes/kit';
import express, { Router } from 'express';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import { csrfProtection } from '../http/csrf.js';
import { rateLimited, type WriteLimiter } from '../limits/write-limiter.js';
import { parseNoteKey } from './note-key.js';
import type { NoteService } from './note-service.js';

/** A whole number from a form field (`0`…), else a 400 naming the field in the page's words. */
function wholeNumber(value: unknown, field: string, words: string): number {
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  throw new AppError('invalid', `${words} must be a whole number`, { field });
}

/**
 * POST /notes/task (`key`, `version`, `task`: its number on the page from 0, `done`: `1` or `0`):
 * a ticked checkbox of the note page saved as a change of the body (NoteService.setTask: the
 * policy, the stale check, history, search, live readers). Answers JSON `{ version }` (the page's
 * script calls it, with the page's form token in `x-csrf-token`); errors as JSON when asked so.
 */
export function taskRoute(notes: NoteService, writes: WriteLimiter): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 10 });
  router.post('/notes/task', form, csrfProtection, requireLogin, async (req, res) => {
    const user = signedInUser(req);
    if (!(await writes.allowUser(user.username))) {
      res.set('Retry-After', '1');
      throw rateLimited();
    }
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const key = parseNoteKey(fields.key);
    const version = wholeNumber(fields.version, 'version', 'The note version');
    const task = wholeNumber(fields.task, 'task', 'The task number');
    if (fields.done !== '1' && fields.done !== '0')
      throw new AppError('invalid', 'Ticked must be 1 or 0', { field: 'done' });
    const note = await notes.setTask(key, user, version, task, fields.done === '1');
    res.set('Cache-Control', 'no-store').json({ version: note.version });
  });
  return router;
}
