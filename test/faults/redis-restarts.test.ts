import { connectSocket, nextEvent, WebClient } from '@notes/notes/testing';
import { type Restartable, startRedis } from '@notes/testkit';
import type { Socket } from 'socket.io-client';
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

const CYCLES = setting('FAULT_REDIS_CYCLES', 20, 1, 100);
const DOWN_MS = setting('FAULT_REDIS_DOWN_MS', 1000, 100, 60_000);
/** One outage is longer, so that a request queued until Redis is back would show as a slow failure. */
const LONG_DOWN_MS = setting('FAULT_REDIS_LONG_DOWN_MS', 4000, 100, 60_000);

/**
 * Redis (append-only file, fsync always, as a persistent production Redis) stopped and started
 * again CYCLES times under steady load on two svc-notes replicas: requests fail fast with 503
 * while it is away, /readyz names it within 2 s, nobody is signed out, live events cross the
 * replicas again after each restart, no acknowledged write is lost, no replica crashes.
 */
describe('Redis restarts under load on two replicas', () => {
  let redis: Restartable;
  let stack: AppStack;
  const sockets: Socket[] = [];
  const grace = { username: 'grace', password: 'grace-password-1' };

  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
    stack = await startAppStack({
      notesReplicas: 2,
      redisUrl: redis.url,
      name: 'fault_redis',
      notesEnv: LOAD_ENV,
    });
    await stack.createUser(grace.username, grace.password);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.stop();
    await redis?.stop();
  });

  it(`keeps serving through ${CYCLES} Redis restarts: fast 503s only, sessions kept, live events resume`, async () => {
    const [a, b] = [stack.notes[0]!.url, stack.notes[1]!.url];
    const owner = new WebClient(a);
    await owner.login(grace.username, grace.password);
    const base = await owner.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: 'steady',
      title: 'Read under load',
      body: 'steady',
    });
    expect(base.res.status).toBe(302);
    const home = await connectSocket(b, '/home');
    sockets.push(home);

    const load = await startLoad({
      bases: [a, b],
      cookie: owner.cookie('notes.sid')!,
      username: grace.username,
      readKey: 'steady',
      workers: 4,
      pauseMs: 5,
    });
    const recover: number[] = [];
    const liveResumeMs: number[] = [];
    const readyzWhileDown: { status: number; ms: number; failing: unknown }[] = [];
    let settledFrom = 0;
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        await redis.stopServer();
        const down = cycle === 0 ? LONG_DOWN_MS : DOWN_MS;
        const downSince = performance.now();
        const probe = await readyzNow(b);
        readyzWhileDown.push({
          status: probe.status,
          ms: probe.ms,
          failing: (probe.body as { failing?: unknown }).failing,
        });
        await new Promise((r) => setTimeout(r, Math.max(0, down - (performance.now() - downSince))));
        await redis.startServer();
        recover.push(await untilReady([a, b]));
        // Live events cross the replicas again: a note made through A reaches B's home socket.
        // The subscriber reconnects on its own back-off, so allow a few bounded tries.
        const since = performance.now();
        let arrived = false;
        for (let attempt = 0; attempt < 10 && !arrived; attempt++) {
          const key = `live-${cycle}-${attempt}`;
          const seen = nextEvent<{ key: string }>(home, 'notecreated', (n) => n.key === key, 1000).then(
            () => true,
            () => false,
          );
          const saved = await owner.submit('/notes/add', '/notes/save', {
            docreate: 'create',
            notekey: key,
            title: key,
            body: 'live',
          });
          arrived = saved.res.status === 302 && (await seen);
        }
        expect(arrived, `live events cross the replicas after restart ${cycle + 1}`).toBe(true);
        liveResumeMs.push(Math.round(performance.now() - since));
      }
      // Back to normal by itself: with Redis up, the load succeeds again.
      settledFrom = load.outcomes.length + 4 * 2;
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await load.stop();
    }

    // Every acknowledged save is there, and the session still works on both replicas.
    let lost = 0;
    for (const key of load.acknowledged) {
      const { res } = await owner.get(`/notes/view?key=${key}`);
      if (res.status !== 200) lost++;
    }
    const onB = new WebClient(b);
    onB.setCookie('notes.sid', owner.cookie('notes.sid')!);
    const still = await onB.get('/notes/add');
    const crashes = stack.notes.filter(
      (p) => p.child.exitCode !== null || p.child.signalCode !== null,
    ).length;
    const summary = summarise(load.outcomes);
    const figures = {
      fault: `Redis stopped and started ${CYCLES} times (${DOWN_MS} ms down, the first ${LONG_DOWN_MS} ms), two replicas`,
      ...summary,
      recoverMs: recoverFigures(recover),
      liveEventsResumeMs: recoverFigures(liveResumeMs),
      readyzWhileDown: {
        maxMs: Math.max(...readyzWhileDown.map((r) => r.ms)),
        statuses: [...new Set(readyzWhileDown.map((r) => r.status))],
        failing: readyzWhileDown[0]?.failing,
      },
      writesAcknowledged: load.acknowledged.length,
      acknowledgedWritesLost: lost,
      crashes,
      unhandledRejectionLines: (stack.output().match(/unhandled rejection|unawaited command/g) ?? []).length,
    };
    await record('redis-restarts', figures);

    expect(crashes, stack.output().slice(-4000)).toBe(0);
    expect(figures.unhandledRejectionLines).toBe(0);
    expect(lost).toBe(0);
    expect(summary.sessionsLost).toBe(0);
    expect(still.res.status).toBe(200);
    expect(still.text).toContain(`>${grace.username}</span>`);
    // While Redis is away the answer is a 503, never a 500 or a dropped connection.
    expect(Object.keys(summary.failedByStatus).filter((s) => s !== '503')).toEqual([]);
    const afterwards = load.outcomes.slice(settledFrom);
    expect(afterwards.length).toBeGreaterThan(0);
    expect(summarise(afterwards).failedByStatus).toEqual({});
    // Failing fast: far below the long outage that a queued request would have waited out.
    expect(summary.slowestFailureMs).toBeLessThan(LONG_DOWN_MS - 1000);
    for (const r of readyzWhileDown) {
      expect(r.status).toBe(503);
      expect(r.failing).toEqual(['redis']);
    }
    expect(figures.readyzWhileDown.maxMs).toBeLessThan(2000);
  }, 300_000);
});
