import express, { Router } from 'express';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import { csrfProtection, csrfToken } from '../http/csrf.js';
import { flash } from '../http/flash.js';
import { parsePageParam } from '../notes/note-input.js';
import { parseNoteKey } from '../notes/note-key.js';
import { mayEdit } from '../notes/note-policy.js';
import { parseOptionalRevisionNumber, parseRevisionNumber } from './history-input.js';
import type { HistoryService } from './history-service.js';
import { presentComparison, presentHistoryLine } from './revision-presenter.js';

const viewUrl = (key: string) => `/notes/view?key=${encodeURIComponent(key)}`;

/**
 * The history pages of DESIGN 4.8: `/notes/history?key=K` (newest first, paged),
 * `/notes/revision?key=K&rev=N[&compare=M]` (the text and its diff to the revision before it, or to
 * M), and `POST /notes/restore` (`key`, `rev`). HTTP only: rules live in HistoryService.
 */
export function historyRoutes(history: HistoryService): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

  router.get('/notes/history', async (req, res) => {
    const key = parseNoteKey(req.query.key);
    const page = parsePageParam(req.query.page);
    const { note, history: found } = await history.history(key, req.user, page);
    const latest = page === 1 ? (found.revisions[0]?.number ?? 0) : Number.POSITIVE_INFINITY;
    const lines = found.revisions.map((r) => presentHistoryLine(r, latest));
    res.render('note-history', {
      title: `History of ${note.title}`,
      user: req.user,
      note,
      lines,
      total: found.total,
      page: found.page,
      prevPage: page > 1 ? page - 1 : undefined,
      nextPage: found.hasNext ? page + 1 : undefined,
      // Preselected for "compare": the two newest on the page.
      compareTo: lines[1]?.number,
      compareRev: lines[0]?.number,
      mayEdit: mayEdit(req.user, note),
    });
  });

  router.get('/notes/revision', async (req, res) => {
    const key = parseNoteKey(req.query.key);
    const rev = parseRevisionNumber(req.query.rev, 'rev');
    const against = parseOptionalRevisionNumber(req.query.compare, 'compare');
    const comparison = await history.compare(key, req.user, rev, against === rev ? undefined : against);
    const view = presentComparison(comparison, req.user, against === undefined || against === rev);
    res.render('note-revision', {
      title: `Revision ${rev} of ${comparison.note.title}`,
      user: req.user,
      csrf: req.user ? csrfToken(req) : undefined,
      view,
    });
  });

  router.post('/notes/restore', form, csrfProtection, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const key = parseNoteKey(fields.key);
    const rev = parseRevisionNumber(fields.rev, 'rev');
    const note = await history.restore(key, signedInUser(req), rev);
    flash(req, 'success', `Restored revision ${rev}.`);
    res.redirect(302, viewUrl(note.key));
  });

  return router;
}
