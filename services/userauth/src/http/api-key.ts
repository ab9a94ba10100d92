import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@notes/kit';
import type { Next, Request, RequestHandler, Response } from 'restify';
import type { ApiKey } from '../config.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The `name:key` of an `Authorization: Basic …` header, or undefined. */
function presented(header: string | undefined): string | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.includes(':') ? decoded : undefined;
}

/**
 * HTTP Basic `name:key` against the configured keys. Every configured key is compared (equal-length
 * SHA-256 digests, crypto.timingSafeEqual), so timing tells nothing about which part was wrong.
 * Paths in `open` (health probes) need no key. Sets req.apiClient to the key's name.
 */
export function apiKeyAuth(keys: ApiKey[], open: ReadonlySet<string>): RequestHandler {
  const known = keys.map((k) => ({ name: k.name, digest: digest(`${k.name}:${k.key}`) }));
  return (req: Request, res: Response, next: Next) => {
    if (open.has(req.getPath())) return next();
    const credentials = presented(req.header('authorization'));
    res.setHeader('WWW-Authenticate', 'Basic realm="userauth"');
    if (credentials === undefined)
      return next(AppError.unauthorized('API key required (HTTP Basic name:key)'));
    const given = digest(credentials);
    let client: string | undefined;
    for (const k of known) if (timingSafeEqual(given, k.digest) && client === undefined) client = k.name;
    if (client === undefined) return next(AppError.unauthorized('Wrong API key'));
    res.removeHeader('WWW-Authenticate');
    (req as Request & { apiClient?: string }).apiClient = client;
    return next();
  };
}
