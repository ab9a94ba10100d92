import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';
import { PUBLIC_DIR } from '../paths.js';

const require = createRequire(import.meta.url);

/** Bootstrap from its npm package and the app's own files, served by the app (no CDN). */
export function staticAssets(): Router {
  const router = express.Router();
  const bootstrapDist = join(dirname(require.resolve('bootstrap/package.json')), 'dist');
  const options = { maxAge: '1d', index: false, fallthrough: true } as const;
  router.use('/assets/bootstrap', express.static(bootstrapDist, options));
  router.use('/static', express.static(PUBLIC_DIR, { ...options, maxAge: '1h' }));
  // Browsers ask for /favicon.ico on their own (pages link /static/favicon.svg): the same icon.
  router.get('/favicon.ico', (_req, res) => {
    res.type('image/svg+xml').sendFile(join(PUBLIC_DIR, 'favicon.svg'), { maxAge: '1d' });
  });
  return router;
}
