import type { Request, Response } from 'express';
import type { SessionRegistry } from '../accounts/session-registry.js';
import { flash } from '../http/flash.js';
import { markPrivate } from '../http/private-responses.js';
import type { SessionUser } from '../users/session-user.js';
import { safeNext } from './login-next.js';

/**
 * The one way a sign-in completes (password, second factor, OpenID Connect): Passport regenerates
 * the session id (no session fixation) and keeps only the username, the new session is indexed
 * under its user (so a password change can end the others), and the browser goes to the page that
 * asked for the login (`next`, a same-site path: login-next.ts) or home, saying who is logged in.
 */
export async function completeSignIn(
  req: Request,
  res: Response,
  user: SessionUser,
  registry: SessionRegistry,
  next?: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) => req.logIn(user, (e) => (e ? reject(e) : resolve())));
  await registry.add(req.sessionID, user.username, req.get('user-agent') ?? '', req.ip ?? '');
  markPrivate(res);
  flash(req, 'success', `Logged in as ${user.username}.`);
  res.redirect(302, safeNext(next) ?? '/');
}
