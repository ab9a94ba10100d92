import type { Request, RequestHandler, Response } from 'express';
import { mayHaveSession } from './lazy-session.js';

/** What a flash message says happened: Bootstrap's alert colours. */
export type FlashKind = 'success' | 'info' | 'warning' | 'danger';

export interface FlashMessage {
  kind: FlashKind;
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

/** A page shows at most this many (a loop of redirects never grows a session without bound). */
const MAX_MESSAGES = 5;

/**
 * Tells the user, on the next page they see, what their action did ("Note saved"). Kept in the
 * session and shown once: call it before a redirect, from any feature (save, delete, restore…).
 */
export function flash(req: Request, kind: FlashKind, text: string): void {
  if (!req.session) return;
  const messages = req.session.flash ?? [];
  messages.push({ kind, text });
  req.session.flash = messages.slice(-MAX_MESSAGES);
}

/**
 * The one message that outlives a session: after logging out the session is destroyed (nothing of
 * it stays in the store), so "You are logged out" travels in a short cookie naming a fixed text.
 */
const ENDED_COOKIE = 'notes.flash';
const ENDED_MESSAGES: Record<string, FlashMessage> = {
  'logged-out': { kind: 'success', text: 'You are logged out.' },
};

export function flashAfterSessionEnds(res: Response, which: keyof typeof ENDED_MESSAGES): void {
  res.cookie(ENDED_COOKIE, which, { httpOnly: true, sameSite: 'lax', maxAge: 60_000, path: '/' });
}

function endedMessage(req: Request, res: Response): FlashMessage | undefined {
  const match = /(?:^|;\s*)notes\.flash=([\w-]+)/.exec(req.headers.cookie ?? '');
  if (!match) return undefined;
  res.clearCookie(ENDED_COOKIE, { path: '/' });
  return ENDED_MESSAGES[match[1]!];
}

/**
 * `flash` for the views (the layout shows it in a `role="status"` region): the messages are taken
 * out of the session only when a page is rendered, so a fetch or a redirect in between keeps them.
 */
export const flashMessages: RequestHandler = (req, res, next) => {
  let taken: FlashMessage[] | undefined;
  Object.defineProperty(res.locals, 'flash', {
    enumerable: true,
    configurable: true,
    get(): FlashMessage[] {
      if (taken) return taken;
      taken = [];
      const ended = endedMessage(req, res);
      if (ended) taken.push(ended);
      // A visitor without a session cookie has no messages: no session is made to find none.
      if (mayHaveSession(req) && req.session?.flash?.length) {
        taken.push(...req.session.flash);
        delete req.session.flash;
      }
      return taken;
    },
  });
  next();
};
