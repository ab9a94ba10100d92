import { AppError } from '@notes/kit';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import { presentCommentsFor } from '../comments/comment-presenter.js';
import type { CommentService } from '../comments/comment-service.js';
import { CSRF_REFUSED, csrfProtection, csrfProtectionOr, csrfToken } from '../http/csrf.js';
import { flash } from '../http/flash.js';
import { rateLimited, type WriteLimiter } from '../limits/write-limiter.js';
import type { TagCloud } from '../tags/tag-cloud.js';
import { formatTagList, TAG_RULE } from '../tags/tag-text.js';
import { pager } from '../views/pager.js';
import {
  BODY_LIMIT_TEXT,
  BODY_MAX,
  NOTE_FORM_BYTES,
  type NoteForm,
  parseListFilter,
  parseNoteForm,
  parsePageParam,
  TITLE_MAX,
} from './note-input.js';
import { parseNoteKey } from './note-key.js';
import { mayChangeVisibility, VISIBILITIES, type Visibility } from './note-policy.js';
import { presentNote, VISIBILITY_LABELS } from './note-presenter.js';
import type { ListFilter } from './note-readable.js';
import type { NoteService } from './note-service.js';

/** The note form as shown: what was typed, with the visibility to preselect. */
type FormView = NoteForm & {
  visibility: Visibility;
  /** True for an editor who is not the owner: the choice is shown but cannot be changed. */
  visibilityLocked?: boolean;
  /** The tags field as shown (what was typed, or the note's form tags). */
  tagsText?: string;
};

const isVisibility = (v: unknown): v is Visibility => VISIBILITIES.includes(v as Visibility);

const visibilityOptions = (chosen: Visibility) =>
  VISIBILITIES.map((value) => ({ value, label: VISIBILITY_LABELS[value], selected: value === chosen }));

function renderForm(
  req: Request,
  res: Response,
  status: number,
  form: FormView,
  message?: string,
  field?: string,
) {
  res.status(status).render('note-edit', {
    title: form.mode === 'create' ? 'Add a note' : `Edit ${form.title}`,
    user: req.user,
    csrf: csrfToken(req),
    form,
    visibilities: visibilityOptions(form.visibility),
    isUpdate: form.mode === 'update',
    message,
    field,
    titleMax: TITLE_MAX,
    // The browser's maxlength counts UTF-16 code units (an emoji is 2): twice the limit never
    // blocks a text within it; the server counts characters exactly and shows the form again.
    bodyMaxUnits: BODY_MAX * 2,
    bodyMax: BODY_MAX,
    bodyLimit: BODY_LIMIT_TEXT,
    tagRule: TAG_RULE,
  });
}

/** What the user typed, kept for re-display after a refused save (never lost). */
function typedForm(fields: Record<string, unknown>, defaultVisibility: Visibility): FormView {
  const str = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  const version = Number(str('version'));
  return {
    mode: str('docreate') === 'update' ? 'update' : 'create',
    key: str('notekey').slice(0, 200),
    title: str('title').slice(0, 1000),
    // All of it: the parser's byte limit already bounds it, and nothing typed is ever cut off.
    body: str('body'),
    version: Number.isSafeInteger(version) ? version : 0,
    visibility: isVisibility(fields.visibility) ? fields.visibility : defaultVisibility,
    tagsText: str('tags').slice(0, 4000),
    // An editor's form has the choice disabled, so a browser sends none: keep it disabled.
    visibilityLocked: str('docreate') === 'update' && fields.visibility === undefined,
  };
}

/** The home list's h1, tab title (the layout adds " · Notes") and empty text, per filter. */
const LIST_HEADINGS: Record<ListFilter, { heading: string; title?: string; emptyText: string }> = {
  all: { heading: 'Notes', emptyText: 'No notes yet.' },
  mine: { heading: 'My notes', title: 'My notes', emptyText: 'You have no notes yet.' },
  shared: {
    heading: 'Shared with me',
    title: 'Shared with me',
    emptyText: 'Nobody has shared a note with you yet.',
  },
};

/** The note pages of DESIGN 4.1. HTTP only: rules live in NoteService. */
export function noteRoutes(
  notes: NoteService,
  comments: CommentService,
  writes: WriteLimiter,
  defaultVisibility: Visibility,
  cloud: TagCloud,
): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });
  const noteFormParser = express.urlencoded({ extended: false, limit: NOTE_FORM_BYTES, parameterLimit: 20 });
  // Any text within BODY_MAX parses (NOTE_FORM_BYTES is its worst-case encoding). A larger body
  // cannot be read, so its text cannot be given back: the form comes back with the limit named,
  // and the edit page's script stops such a save before it is sent, keeping the text in place.
  const noteForm = (req: Request, res: Response, next: NextFunction) =>
    noteFormParser(req, res, (err?: unknown) => {
      if ((err as { status?: unknown } | undefined)?.status !== 413) return next(err);
      const message = `body: must be at most ${BODY_LIMIT_TEXT}; this save was too large to read, so its text could not be kept (go back to get it)`;
      renderForm(req, res, 413, typedForm({}, defaultVisibility), message, 'body');
    });
  // A refused form token: the form again with everything typed, and a fresh token to save it with.
  const noteFormCsrf = csrfProtectionOr((req, res) => {
    renderForm(
      req,
      res,
      403,
      typedForm((req.body ?? {}) as Record<string, unknown>, defaultVisibility),
      CSRF_REFUSED,
    );
  });

  router.get('/', async (req, res) => {
    const filter = parseListFilter(req.query.filter);
    if (filter !== 'all' && !req.user) return res.redirect(302, '/users/login');
    const [page, tagCloud] = await Promise.all([
      notes.page(parsePageParam(req.query.page), req.user, filter),
      cloud.top(req.user),
    ]);
    const hrefFor = (n: number) => {
      const qs = new URLSearchParams(filter === 'all' ? {} : { filter });
      if (n > 1) qs.set('page', String(n));
      const text = qs.toString();
      return text ? `/?${text}` : '/';
    };
    // A page past the end (notes were deleted, or a stale link): the last page there is.
    if (page.total === undefined) return res.redirect(302, hrefFor(await notes.lastPage(req.user, filter)));
    res.render('index', {
      ...LIST_HEADINGS[filter],
      title:
        page.page > 1
          ? `${LIST_HEADINGS[filter].title ?? 'Notes'}, page ${page.page}`
          : LIST_HEADINGS[filter].title,
      user: req.user,
      notes: page.notes,
      page: page.page,
      filter,
      tagCloud,
      pager:
        page.total > 0
          ? pager(page.page, page.total, notes.listPageSize, hrefFor, page.totalExact)
          : undefined,
      filters: req.user
        ? [
            { value: 'all', label: 'All I can read', href: '/', active: filter === 'all' },
            { value: 'mine', label: 'Mine', href: '/?filter=mine', active: filter === 'mine' },
            {
              value: 'shared',
              label: 'Shared with me',
              href: '/?filter=shared',
              active: filter === 'shared',
            },
          ]
        : undefined,
    });
  });

  router.get('/notes/add', requireLogin, (req, res) => {
    renderForm(req, res, 200, {
      mode: 'create',
      key: '',
      title: '',
      body: '',
      version: 0,
      visibility: defaultVisibility,
    });
  });

  router.post('/notes/save', noteForm, noteFormCsrf, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    let parsed: NoteForm;
    if (!(await writes.allowUser(signedInUser(req).username))) {
      const refused = rateLimited();
      res.set('Retry-After', '1');
      return renderForm(req, res, refused.status, typedForm(fields, defaultVisibility), refused.message);
    }
    try {
      parsed = parseNoteForm(fields);
      const note = await notes.save(parsed, signedInUser(req));
      flash(req, 'success', parsed.mode === 'create' ? 'Note added.' : 'Note saved.');
      res.redirect(302, `/notes/view?key=${encodeURIComponent(note.key)}`);
    } catch (err) {
      // Bad input and stale edits go back to the form with the user's own text in it.
      if (err instanceof AppError && (err.code === 'invalid' || err.code === 'conflict')) {
        return renderForm(req, res, err.status, typedForm(fields, defaultVisibility), err.message, err.field);
      }
      throw err;
    }
  });

  router.get('/notes/view', async (req, res) => {
    const note = await notes.read(parseNoteKey(req.query.key), req.user);
    const { comments: list, more } = await comments.newest(note);
    const shown = presentNote(note, req.user);
    res.render('note-view', {
      title: note.title,
      user: req.user,
      note: shown,
      // The editor's preview and the comment forms post with it; signed-in visitors only.
      csrf: req.user ? csrfToken(req) : undefined,
      comments: presentCommentsFor(list, note, req.user),
      moreComments: more,
      oldestComment: list.at(-1)?.id,
      restoredWithNewKey: req.query.restored === 'newkey',
    });
  });

  router.get('/notes/edit', requireLogin, async (req, res) => {
    const visitor = signedInUser(req);
    const note = await notes.forEdit(parseNoteKey(req.query.key), visitor);
    renderForm(req, res, 200, {
      mode: 'update',
      key: note.key,
      title: note.title,
      body: note.body,
      version: note.version,
      visibility: note.visibility,
      visibilityLocked: !mayChangeVisibility(visitor, note),
      tagsText: formatTagList(note.formTags),
    });
  });

  router.get('/notes/destroy', requireLogin, async (req, res) => {
    const note = await notes.forDelete(parseNoteKey(req.query.key), signedInUser(req));
    res.render('note-destroy', { title: `Delete ${note.title}`, user: req.user, note, csrf: csrfToken(req) });
  });

  router.post('/notes/destroy/confirm', form, csrfProtection, requireLogin, async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const gone = await notes.destroy(parseNoteKey(fields.notekey, 'notekey'), signedInUser(req));
    flash(req, 'success', `Moved “${gone.title}” to the trash.`);
    res.redirect(302, '/');
  });

  return router;
}
