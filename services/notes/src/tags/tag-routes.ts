import { AppError } from '@notes/kit';
import { Router } from 'express';
import { parsePageParam } from '../notes/note-input.js';
import type { NoteService } from '../notes/note-service.js';
import { pager } from '../views/pager.js';
import type { TagRepository } from './tag-repository.js';
import { normalizeTag, TAG_RULE } from './tag-text.js';

/** `GET /tags/<tag>` (its notes, as the home list shows them) and `GET /tags` (every tag). */
export function tagRoutes(notes: NoteService, tags: TagRepository): Router {
  const router = Router();

  router.get('/tags', async (req, res) => {
    const counts = await tags.counts(req.user);
    res.render('tags', { title: 'Tags', user: req.user, tags: counts });
  });

  router.get('/tags/:tag', async (req, res) => {
    const tag = normalizeTag(req.params.tag ?? '');
    if (!tag) throw AppError.invalid('tag', `must be ${TAG_RULE}`);
    const href = (n: number) => `/tags/${encodeURIComponent(tag)}${n > 1 ? `?page=${n}` : ''}`;
    if (tag !== req.params.tag) return res.redirect(301, href(1));
    const page = await notes.page(parsePageParam(req.query.page), req.user, 'all', tag);
    if (page.total === undefined) return res.redirect(302, href(await notes.lastPage(req.user, 'all', tag)));
    res.render('tag', {
      title: `#${tag}`,
      user: req.user,
      tag,
      notes: page.notes,
      page: page.page,
      filter: 'tag',
      emptyText: `No notes you may read are tagged #${tag}.`,
      pager:
        page.total > 0 ? pager(page.page, page.total, notes.listPageSize, href, page.totalExact) : undefined,
    });
  });

  return router;
}
