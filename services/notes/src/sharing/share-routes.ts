import { AppError } from '@notes/kit';
import express, { type Request, type Response, Router } from 'express';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import { csrfProtection, csrfToken } from '../http/csrf.js';
import type { Note } from '../notes/note.js';
import { parseNoteKey } from '../notes/note-key.js';
import { GRANT_ROLES } from '../notes/note-policy.js';
import { VISIBILITY_LABELS } from '../notes/note-presenter.js';
import type { LinkService } from './link-service.js';
import { parseShareForm, parseUnshareForm } from './share-input.js';
import type { ShareService } from './share-service.js';

const sharePage = (key: string) => `/notes/share?key=${encodeURIComponent(key)}`;

interface Typed {
  username: string;
  role: string;
}

async function render(
  req: Request,
  res: Response,
  links: LinkService,
  note: Note,
  status = 200,
  problem?: { message: string; field?: string | undefined; typed: Typed },
  newLink?: string,
) {
  const typed = problem?.typed ?? { username: '', role: 'viewer' };
  res.status(status).render('note-share', {
    title: `Share ${note.title}`,
    user: req.user,
    csrf: csrfToken(req),
    note,
    visibilityLabel: VISIBILITY_LABELS[note.visibility],
    grants: note.grants,
    roles: GRANT_ROLES.map((value) => ({ value, selected: value === typed.role })),
    typed,
    message: problem?.message,
    field: problem?.field,
    links: await links.activeLinks(note.key),
    newLink,
  });
}

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');

/** `/notes/share?key=K` and its forms (DESIGN 4.6). HTTP only: rules live in ShareService. */
export function shareRoutes(shares: ShareService, links: LinkService): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });

  router.get('/notes/share', requireLogin, async (req, res) => {
    const note = await shares.forShare(parseNoteKey(req.query.key), signedInUser(req));
    await render(req, res, links, note);
  });

  router.post('/notes/share', form, csrfProtection, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const visitor = signedInUser(req);
    const key = parseNoteKey(fields.key);
    try {
      await shares.share(parseShareForm(fields), visitor);
    } catch (err) {
      // A bad or unknown user name goes back to the page with what was typed.
      if (err instanceof AppError && err.code === 'invalid') {
        const note = await shares.forShare(key, visitor);
        return render(req, res, links, note, 400, {
          message: err.message,
          field: err.field,
          typed: { username: text(fields.username, 100), role: text(fields.role, 20) },
        });
      }
      throw err;
    }
    res.redirect(302, sharePage(key));
  });

  router.post('/notes/unshare', form, csrfProtection, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const visitor = signedInUser(req);
    const key = parseNoteKey(fields.key);
    try {
      const { username } = parseUnshareForm(fields);
      await shares.unshare(key, username, visitor);
    } catch (err) {
      if (err instanceof AppError && err.code === 'invalid') {
        const note = await shares.forShare(key, visitor);
        return render(req, res, links, note, 400, {
          message: err.message,
          field: err.field,
          typed: { username: '', role: 'viewer' },
        });
      }
      throw err;
    }
    res.redirect(302, sharePage(key));
  });

  router.post('/notes/links', form, csrfProtection, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const visitor = signedInUser(req);
    const note = await shares.forShare(parseNoteKey(fields.key), visitor);
    const token = await links.create(note, visitor);
    // The token is shown once, on this answer; only its hash is stored.
    res.set('Cache-Control', 'no-store');
    await render(req, res, links, note, 200, undefined, `/s/${token}`);
  });

  router.post('/notes/links/revoke', form, csrfProtection, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const visitor = signedInUser(req);
    const note = await shares.forShare(parseNoteKey(fields.key), visitor);
    await links.revoke(note, fields.link);
    res.redirect(302, sharePage(note.key));
  });

  return router;
}
