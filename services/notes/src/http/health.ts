import { Router } from 'express';

export type ReadinessCheck = () => Promise<boolean>;

/** `/healthz`: the process answers. `/readyz`: every store it needs answers (503 with the failing ones). */
export function healthRoutes(checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => checks[n]!().catch(() => false)));
    const report = Object.fromEntries(names.map((n, i) => [n, results[i] ? 'ok' : 'down']));
    const ok = results.every(Boolean);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: report });
  });
  return router;
}
