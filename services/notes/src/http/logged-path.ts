/** Paths whose last part is a secret: a share link's token (`/s/<token>`, sharing/link-routes.ts). */
const SECRET_PATH = /^\/s\/[^/]+/;

/**
 * A request path as logs may keep it: a share link's token is a credential (anyone holding it
 * reads the note), so it never reaches a log line.
 */
export function loggedPath(path: string): string {
  return path.replace(SECRET_PATH, '/s/<token>');
}
