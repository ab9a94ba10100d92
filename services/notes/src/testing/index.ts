/**
 * `@notes/notes/testing`: the clients that drive svc-notes from a test like a browser would
 * (HTTP with a cookie jar and CSRF scraping; Socket.IO), for this package's tests and the
 * cross-service tests in test/. Test code only: never built, never imported by the service.
 */

export { zipEntries } from '../import/zip-entries.js';
export * from './collab-clients.js';
export * from './oidc-provider.js';
export * from './sockets.js';
export * from './web-client.js';
