import { AppError, parseInput } from '@notes/kit';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { parsePageParam } from '../notes/note-input.js';
import { normalizeTag, TAG_MAX_LENGTH, TAG_RULE } from '../tags/tag-text.js';
import { pager } from '../views/pager.js';
import { QUERY_MAX_CHARACTERS } from './search-query.js';
import type { SearchFilters } from './search-repository.js';
import type { SearchService } from './search-service.js';

const text = (max: number) =>
  z
    .string({ error: 'must be a single text value' })
    .max(max * 2, `must be at most ${max} characters`)
    .optional()
    .transform((v) => (v ?? '').trim());

const params = z.object({
  q: text(QUERY_MAX_CHARACTERS),
  owner: text(100),
  tag: text(TAG_MAX_LENGTH + 1).refine(
    (v) => v === '' || normalizeTag(v) !== undefined,
    `must be ${TAG_RULE}`,
  ),
});

function searchHref(q: string, filters: SearchFilters, page: number): string {
  const qs = new URLSearchParams({ q });
  if (filters.owner) qs.set('owner', filters.owner);
  if (filters.tag) qs.set('tag', filters.tag);
  if (page > 1) qs.set('page', String(page));
  return `/search?${qs.toString()}`;
}

/** `GET /search?q=&owner=&page=` (DESIGN 4.7): the results page, its form and paging. */
export function searchRoutes(search: SearchService): Router {
  const router = Router();

  router.get('/search', async (req: Request, res: Response) => {
    const view = { title: 'Search', user: req.user, q: '', owner: '', tag: '' } as Record<string, unknown>;
    // What was typed stays in the box, whatever is wrong with it.
    if (typeof req.query.q === 'string') view.q = req.query.q.slice(0, QUERY_MAX_CHARACTERS * 2);
    if (typeof req.query.owner === 'string') view.owner = req.query.owner.slice(0, 200);
    if (typeof req.query.tag === 'string') view.tag = req.query.tag.slice(0, 200);
    try {
      const { q, owner, tag } = parseInput(params, {
        q: req.query.q,
        owner: req.query.owner,
        tag: req.query.tag,
      });
      const page = parsePageParam(req.query.page);
      const filters: SearchFilters = {
        ...(owner ? { owner } : {}),
        ...(tag ? { tag: normalizeTag(tag) ?? tag } : {}),
      };
      const outcome = await search.search(q, filters, page, req.user);
      if (outcome.kind === 'redirect') return res.redirect(302, searchHref(q, filters, outcome.page));
      if (outcome.kind === 'results') {
        Object.assign(view, {
          title: `${q} · Search`,
          searched: true,
          results: outcome.results,
          pager: pager(
            outcome.page,
            outcome.total,
            search.size,
            (n) => searchHref(q, filters, n),
            outcome.totalExact,
          ),
        });
      }
      res.render('search', view);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
      res.status(400).render('search', { ...view, message: err.message, field: err.field });
    }
  });

  return router;
}
