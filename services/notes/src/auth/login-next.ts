import { hasControlChars } from '@notes/kit';
import type { Request } from 'express';

/** Pages that never make sense to come back to after logging in. */
const NOT_A_DESTINATION = /^\/users\/(login|logout)(\/|$|\?)/;

/**
 * Where to go after logging in: a path of this site only (`/notes/add?x=1`), never another origin
 * (`//evil.example`, `/\evil`, `https://…`), the login or logout pages, or anything over 2,000
 * characters. Anything else gives undefined (then the home page).
 */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || hasControlChars(value))
    return undefined;
  const base = 'http://notes.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base) return undefined;
  const path = `${url.pathname}${url.search}`;
  return NOT_A_DESTINATION.test(path) ? undefined : path;
}

/** The login page's URL for a visitor who asked for `req`'s page (a GET; else the bare form). */
export function loginUrlFor(req: Request): string {
  const next = req.method === 'GET' ? safeNext(req.originalUrl) : undefined;
  return next && next !== '/' ? `/users/login?next=${encodeURIComponent(next)}` : '/users/login';
}

/** The destination a login form carries (hidden `next`), or the query of the login page. */
export function requestedNext(req: Request): string | undefined {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return safeNext(body.next ?? req.query.next);
}
