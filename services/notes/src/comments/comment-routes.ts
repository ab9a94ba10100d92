import { AppError } from '@notes/kit';
import express, { type Request, type Response, Router } from 'express';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import { CSRF_REFUSED, csrfProtection, csrfProtectionOr, csrfToken } from '../http/csrf.js';
import { flash } from '../http/flash.js';
import { rateLimited, type WriteLimiter } from '../limits/write-limiter.js';
import { parseNoteKey } from '../notes/note-key.js';
import { MESSAGE_MAX, parseCommentId, parseMessage } from './comment-input.js';
import type { CommentService } from './comment-service.js';

const noteUrl = (key: string, id?: number) =>
  `/notes/view?key=${encodeURIComponent(key)}${id === undefined ? '' : `#comment-${id}`}`;

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** A form id as the socket would send it (a number), so one parser names the field either way. */
const idOf = (v: unknown) => (typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v);

/** The comment form again, with what was typed and why it was refused (nothing typed is lost). */
function renderForm(
  req: Request,
  res: Response,
  status: number,
  form: { id?: number; key: string; message: string },
  error?: string,
) {
  res.status(status).render('comment-edit', {
    title: form.id === undefined ? 'Add a comment' : 'Edit your comment',
    user: req.user,
    csrf: csrfToken(req),
    form,
    isEdit: form.id !== undefined,
    error,
    messageMax: MESSAGE_MAX,
    noteUrl: noteUrl(form.key),
  });
}

/**
 * The comment forms for pages without JavaScript (the note page's script does the same over its
 * socket): add, edit own (a page with the form), delete (at once, no undo: there is no page script
 * to offer it). Every answer comes from CommentService, which asks the note policy.
 */
export function commentRoutes(comments: CommentService, writes: WriteLimiter): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });
  const typed = (req: Request) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const id = idOf(fields.id);
    return {
      ...(typeof id === 'number' ? { id } : {}),
      key: text(fields.key).slice(0, 200),
      message: text(fields.message).slice(0, MESSAGE_MAX * 2),
    };
  };
  const formCsrf = csrfProtectionOr((req, res) => renderForm(req, res, 403, typed(req), CSRF_REFUSED));

  /** Runs a write of the form; bad input and refusals come back as the form, with the text. */
  async function write(req: Request, res: Response, action: () => Promise<string>) {
    if (!(await writes.allowUser(signedInUser(req).username))) {
      const refused = rateLimited();
      res.set('Retry-After', '1');
      return renderForm(req, res, refused.status, typed(req), refused.message);
    }
    try {
      res.redirect(302, await action());
    } catch (err) {
      if (err instanceof AppError && (err.code === 'invalid' || err.code === 'conflict'))
        return renderForm(req, res, err.status, typed(req), err.message);
      throw err;
    }
  }

  router.post('/comments/add', form, formCsrf, requireLogin, (req, res) =>
    write(req, res, async () => {
      const fields = req.body as Record<string, unknown>;
      const key = parseNoteKey(fields.key, 'key');
      const comment = await comments.create(key, signedInUser(req), parseMessage(fields.message));
      flash(req, 'success', 'Comment added.');
      return noteUrl(key, comment.id);
    }),
  );

  router.get('/comments/edit', requireLogin, async (req, res) => {
    const id = parseCommentId(idOf(req.query.id));
    const { comment } = await comments.forEdit(id, signedInUser(req));
    renderForm(req, res, 200, { id, key: comment.noteKey, message: comment.message });
  });

  router.post('/comments/edit', form, formCsrf, requireLogin, (req, res) =>
    write(req, res, async () => {
      const fields = req.body as Record<string, unknown>;
      const id = parseCommentId(idOf(fields.id));
      const comment = await comments.edit(id, signedInUser(req), parseMessage(fields.message));
      flash(req, 'success', 'Comment saved.');
      return noteUrl(comment.noteKey, comment.id);
    }),
  );

  router.post('/comments/destroy', form, csrfProtection, requireLogin, async (req, res) => {
    const id = parseCommentId(idOf((req.body as Record<string, unknown>).id));
    const comment = await comments.destroy(id, signedInUser(req));
    flash(req, 'success', 'Comment deleted.');
    res.redirect(302, noteUrl(comment.noteKey));
  });

  return router;
}
