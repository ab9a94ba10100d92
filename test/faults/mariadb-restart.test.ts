import { WebClient } from '@notes/notes/testing';
import { type Restartable, startMariadb } from '@notes/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppStack, startAppStack } from '../app/app-stack.js';
import {
  LOAD_ENV,
  readyzNow,
  record,
  recoverFigures,
  setting,
  startLoad,
  summarise,
  untilReady,
} from './load.js';

const RESTARTS = setting('FAULT_DB_RESTARTS', 2, 1, 20);
const DOWN_MS = setting('FAULT_DB_DOWN_MS', 3000, 0, 120_000);

/**
 * The notes database (its own MariaDB) stopped and started again under steady load: while it is
 * away every failure is a 503 with Retry-After (no 500, no stack in the log, a few throttled
 * warning lines), /readyz names it within 2 s, svc-notes recovers by itself, and every save it
 * acknowledged is there afterwards.
 */
describe('MariaDB restarts under load', () => {
  let mariadb: Restartable;
  let stack: AppStack;
  const grace = { username: 'grace', password: 'grace-password-1' };

  beforeAll(async () => {
    mariadb = await startMariadb();
    stack = await startAppStack({
      redis: 'own',
      notesMysqlAdminUrl: mariadb.url,
      name: 'fault_db',
      notesEnv: LOAD_ENV,
    });
    await stack.createUser(grace.username, grace.password);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await mariadb?.stop();
  });

  it(`answers 503 while the notes database restarts (${RESTARTS}×) and recovers by itself`, async () => {
    const app = stack.notes[0]!.url;
    const owner = new WebClient(app);
    await owner.login(grace.username, grace.password);
    const base = await owner.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: 'steady',
      title: 'Read under load',
      body: 'steady',
    });
    expect(base.res.status).toBe(302);

    const load = await startLoad({
      bases: [app],
      cookie: owner.cookie('notes.sid')!,
      username: grace.username,
      readKey: 'steady',
      workers: 4,
      pauseMs: 10,
    });
    const recover: number[] = [];
    const probes: { status: number; ms: number; failing: unknown }[] = [];
    let retryAfter: string | null = null;
    let settledFrom = 0;
    try {
      for (let i = 0; i < RESTARTS; i++) {
        await mariadb.stopServer();
        const downSince = performance.now();
        const probe = await readyzNow(app);
        probes.push({
          status: probe.status,
          ms: probe.ms,
          failing: (probe.body as { failing?: unknown }).failing,
        });
        const page = await owner.get('/notes/view?key=steady');
        expect(page.res.status).toBe(503);
        retryAfter = page.res.headers.get('retry-after');
        await new Promise((r) => setTimeout(r, Math.max(0, DOWN_MS - (performance.now() - downSince))));
        await mariadb.startServer();
        recover.push(await untilReady([app], 60_000));
      }
      settledFrom = load.outcomes.length + 4 * 2;
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await load.stop();
    }

    let lost = 0;
    for (const key of load.acknowledged) {
      if ((await owner.get(`/notes/view?key=${key}`)).res.status !== 200) lost++;
    }
    const crashes = stack.notes.filter(
      (p) => p.child.exitCode !== null || p.child.signalCode !== null,
    ).length;
    const output = stack.notes.map((p) => p.output()).join('\n');
    const summary = summarise(load.outcomes);
    const figures = {
      fault: `notes MariaDB stopped (SIGTERM) and started ${RESTARTS} times, ${DOWN_MS} ms down, one replica`,
      ...summary,
      recoverMs: recoverFigures(recover),
      readyzWhileDown: {
        maxMs: Math.max(...probes.map((p) => p.ms)),
        statuses: [...new Set(probes.map((p) => p.status))],
        failing: probes[0]?.failing,
      },
      writesAcknowledged: load.acknowledged.length,
      acknowledgedWritesLost: lost,
      crashes,
      warningLines: (output.match(/"msg":"dependency unavailable"/g) ?? []).length,
      errorLines: (output.match(/"level":50/g) ?? []).length,
    };
    await record('mariadb-restart', figures);

    expect(crashes, stack.output().slice(-4000)).toBe(0);
    expect(lost).toBe(0);
    expect(Object.keys(summary.failedByStatus).filter((s) => s !== '503')).toEqual([]);
    expect(retryAfter).toBe('5');
    // A few throttled warnings, never an error line with a stack per request.
    expect(figures.errorLines, output.slice(-4000)).toBe(0);
    expect(output).not.toMatch(/"stack":/);
    expect(figures.warningLines).toBeLessThan(Math.max(10, (summary.requestsTried - summary.succeeded) / 5));
    for (const p of probes) {
      expect(p.status).toBe(503);
      expect(p.failing).toEqual(['database']);
    }
    expect(figures.readyzWhileDown.maxMs).toBeLessThan(2000);
    const afterwards = load.outcomes.slice(settledFrom);
    expect(afterwards.length).toBeGreaterThan(0);
    expect(summarise(afterwards).failedByStatus).toEqual({});
  }, 300_000);
});
