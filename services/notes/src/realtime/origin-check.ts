import type { IncomingMessage } from 'node:http';

/**
 * Socket connections must come from a page of this site: the Origin header must name the host the
 * request was sent to (X-Forwarded-Host too when a proxy is trusted) or one of the configured origins.
 * A missing Origin is refused (browsers always send one).
 */
export function originAllowed(req: IncomingMessage, allowed: string[], trustProxy: boolean): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  if (allowed.includes(origin.replace(/\/+$/, ''))) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = req.headers['x-forwarded-host'];
  const hosts = [req.headers.host];
  if (trustProxy && typeof forwarded === 'string') hosts.push(forwarded.split(',')[0]!.trim());
  return hosts.some((h) => h !== undefined && h.toLowerCase() === host.toLowerCase());
}
