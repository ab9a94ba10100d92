import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { SessionRegistry } from '../accounts/session-registry.js';
import { csrfProtection, csrfToken } from '../http/csrf.js';
import { flashAfterSessionEnds } from '../http/flash.js';
import { SESSION_COOKIE } from '../http/session.js';

/** Navigations a browser starts from our own pages or by the user's own hand (address bar, bookmark). */
const OWN_NAVIGATION = new Set(['same-origin', 'none']);

function signOut(req: Request, res: Response, next: NextFunction, registry: SessionRegistry): void {
  const sid = req.sessionID;
  req.logout((err) => {
    if (err) return next(err);
    req.session.destroy((destroyErr) => {
      if (destroyErr) return next(destroyErr);
      registry.remove(sid).catch(() => {}); // a leftover row only lists a session that is gone
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      flashAfterSessionEnds(res, 'logged-out');
      res.redirect(302, '/');
    });
  });
}

/**
 * GET /users/logout signs out only a same-origin navigation (`Sec-Fetch-Site: same-origin` or
 * `none`), i.e. a click on the header link; any other GET (a cross-site link or image, a client
 * without Fetch metadata) gets a page whose button posts POST /users/logout with a CSRF token.
 */
export function logoutRoutes(registry: SessionRegistry): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

  router.get('/users/logout', (req, res, next) => {
    if (!req.user) return res.redirect(302, '/');
    const site = req.get('sec-fetch-site');
    if (site && OWN_NAVIGATION.has(site)) return signOut(req, res, next, registry);
    res.render('logout', { title: 'Log out', user: req.user, csrf: csrfToken(req) });
  });

  router.post('/users/logout', form, csrfProtection, (req, res, next) => {
    if (!req.user) return res.redirect(302, '/');
    signOut(req, res, next, registry);
  });

  return router;
}
