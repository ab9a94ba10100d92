import express, { Router } from 'express';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import { csrfProtection, csrfToken } from '../http/csrf.js';
import { flash } from '../http/flash.js';
import { parsePageParam } from '../notes/note-input.js';
import { parseOptionalTrashId, parseTrashId } from './trash-input.js';
import type { TrashService } from './trash-service.js';

/**
 * The trash pages (DESIGN 4.8), for the signed-in owner of the notes in it: `/trash`,
 * `POST /trash/restore` (`id`), and `GET /trash/empty[?id=N]` asking before
 * `POST /trash/empty` (`id` for one note, none for all of them) deletes for good.
 */
export function trashRoutes(trash: TrashService): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

  router.get('/trash', requireLogin, async (req, res) => {
    const owner = signedInUser(req);
    const page = parsePageParam(req.query.page);
    const found = await trash.list(owner, page);
    res.render('trash', {
      title: 'Trash',
      user: req.user,
      csrf: csrfToken(req),
      items: found.items,
      days: trash.retentionDays,
      prevPage: page > 1 ? page - 1 : undefined,
      nextPage: found.hasNext ? page + 1 : undefined,
    });
  });

  router.post('/trash/restore', form, csrfProtection, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const { note, keyChanged } = await trash.restore(signedInUser(req), parseTrashId(fields.id));
    const url = `/notes/view?key=${encodeURIComponent(note.key)}`;
    flash(req, 'success', `Restored “${note.title}” from the trash.`);
    res.redirect(302, keyChanged ? `${url}&restored=newkey` : url);
  });

  router.get('/trash/empty', requireLogin, async (req, res) => {
    const owner = signedInUser(req);
    const id = parseOptionalTrashId(req.query.id);
    const item = id === undefined ? undefined : await trash.find(owner, id);
    const all = id === undefined ? await trash.list(owner, 1) : undefined;
    res.render('trash-empty', {
      title: item ? `Delete ${item.title} for good` : 'Empty the trash',
      user: req.user,
      csrf: csrfToken(req),
      item,
      nothing: all !== undefined && all.items.length === 0,
    });
  });

  router.post('/trash/empty', form, csrfProtection, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const id = parseOptionalTrashId(fields.id);
    await trash.purge(signedInUser(req), id);
    flash(req, 'success', id === undefined ? 'The trash is empty.' : 'Deleted for good.');
    res.redirect(302, '/trash');
  });

  return router;
}
