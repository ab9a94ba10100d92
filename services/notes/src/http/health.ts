import { Router } from 'express';

export type ReadinessCheck = () => Promise<boolean>;

/** Each dependency gets this long; /readyz as a whole therefore answers within 2 s in every fault. */
export const READINESS_CHECK_TIMEOUT_MS = 1500;

function within(check: ReadinessCheck, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    check().catch(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * `/healthz`: the process answers. `/readyz`: every store it needs answers, each checked in
 * parallel within READINESS_CHECK_TIMEOUT_MS; a 503 names the failing ones (`failing`, `checks`).
 */
export function healthRoutes(checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => within(checks[n]!, READINESS_CHECK_TIMEOUT_MS)));
    const report = Object.fromEntries(names.map((n, i) => [n, results[i] ? 'ok' : 'down']));
    const failing = names.filter((_, i) => !results[i]);
    const ok = failing.length === 0;
    res.set('Cache-Control', 'no-store');
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'unavailable', checks: report, ...(ok ? {} : { failing }) });
  });
  return router;
}
