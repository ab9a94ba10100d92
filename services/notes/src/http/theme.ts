import type { RequestHandler } from 'express';

/** The colour theme a browser chose with the header's toggle (cookie `notes.theme`); none = automatic. */
export type ThemeChoice = 'light' | 'dark' | 'auto';

export const THEME_COOKIE = 'notes.theme';

/** The theme of a request: the cookie's choice, else the browser's `prefers-color-scheme` hint. */
export function themeOf(cookieHeader: string | undefined, hint: string | undefined) {
  const chosen = /(?:^|;\s*)notes\.theme=(light|dark)(?:;|$)/.exec(cookieHeader ?? '')?.[1] as
    | 'light'
    | 'dark'
    | undefined;
  const choice: ThemeChoice = chosen ?? 'auto';
  const shown = chosen ?? (hint === 'dark' ? 'dark' : 'light');
  return { choice, shown };
}

/**
 * `themeChoice` and `themeShown` for the layout, so that the page arrives in its theme (no flash of
 * the wrong one): a chosen theme comes from the cookie; for "automatic" Chromium sends the
 * `Sec-CH-Prefers-Color-Scheme` hint once asked for it, and the head script (theme.js, run before
 * the body) corrects the rest from `prefers-color-scheme`.
 */
export const themeLocals: RequestHandler = (req, res, next) => {
  const { choice, shown } = themeOf(req.headers.cookie, req.get('sec-ch-prefers-color-scheme'));
  res.locals.themeChoice = choice;
  res.locals.themeShown = shown;
  res.set('Accept-CH', 'Sec-CH-Prefers-Color-Scheme');
  res.vary('Sec-CH-Prefers-Color-Scheme');
  res.vary('Cookie');
  next();
};
