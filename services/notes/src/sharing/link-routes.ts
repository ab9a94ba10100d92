import { Router } from 'express';
import { presentComment } from '../comments/comment-presenter.js';
import type { CommentService } from '../comments/comment-service.js';
import { renderMarkdown } from '../notes/markdown.js';
import type { LinkService } from './link-service.js';

/**
 * GET /s/<token>: the note of a read-only link and its newest comments, for anyone holding the token
 * (no session is made or needed). Nothing on the page leads to another note, search engines are told
 * not to index it, and the token is not sent on as a referrer.
 */
export function linkRoutes(links: LinkService, comments: CommentService): Router {
  const router = Router();
  router.get('/s/:token', async (req, res) => {
    res.set('X-Robots-Tag', 'noindex, nofollow');
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    const note = await links.open(req.params.token);
    const { comments: list } = await comments.newest(note);
    res.render('note-link', {
      title: note.title,
      noindex: true,
      linkPage: true,
      note: {
        key: note.key,
        title: note.title,
        owner: note.owner,
        updatedAt: note.updatedAt,
        bodyHtml: renderMarkdown(note.body),
      },
      comments: list.map(presentComment),
    });
  });
  return router;
}
