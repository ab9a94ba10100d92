import { byId, fieldValue, textOf, WebClient } from '@notes/notes/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppStack, startAppStack } from '../app/app-stack.js';
import { LOAD_ENV, readyzNow, record, setting, startLoad, summarise, untilReady } from './load.js';

/**
 * How long svc-userauth stays away. The scenario is 90 s against the default 60 s user
 * cache; here the cache is CACHE_SECONDS (NOTES_USER_CACHE_SECONDS) and the outage several times
 * that, which proves the same thing (every cached look-up expires during the outage) in CI time.
 * FAULT_USERAUTH_OUTAGE_SECONDS=90 FAULT_USER_CACHE_SECONDS=60 runs the full-length version.
 */
const OUTAGE_SECONDS = setting('FAULT_USERAUTH_OUTAGE_SECONDS', 8, 1, 600);
const CACHE_SECONDS = setting('FAULT_USER_CACHE_SECONDS', 2, 1, 3600);

describe('svc-userauth away', () => {
  let stack: AppStack;
  const grace = { username: 'grace', password: 'grace-password-1' };
  const heidi = { username: 'heidi', password: 'heidi-password-1' };

  beforeAll(async () => {
    stack = await startAppStack({
      notesReplicas: 2,
      redis: 'own',
      name: 'fault_ua',
      notesEnv: { ...LOAD_ENV, NOTES_USER_CACHE_SECONDS: String(CACHE_SECONDS) },
    });
    await stack.createUser(grace.username, grace.password);
    await stack.createUser(heidi.username, heidi.password);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it(`signed-in users keep working through a ${OUTAGE_SECONDS} s outage (user cache ${CACHE_SECONDS} s); login says so plainly`, async () => {
    const [a, b] = [stack.notes[0]!.url, stack.notes[1]!.url];
    const owner = new WebClient(a);
    await owner.login(grace.username, grace.password);
    await owner.submit('/notes/add', '/notes/save', {
      docreate: 'create',
      notekey: 'steady',
      title: 'Read while userauth is away',
      body: 'steady',
    });
    const load = await startLoad({
      bases: [a, b],
      cookie: owner.cookie('notes.sid')!,
      username: grace.username,
      readKey: 'steady',
      workers: 2,
      pauseMs: 20,
    });
    let login: { res: Response; text: string } | undefined;
    let probe: Awaited<ReturnType<typeof readyzNow>> | undefined;
    let downFrom = 0;
    let downTo = 0;
    let recoverMs = 0;
    try {
      await new Promise((r) => setTimeout(r, 500));
      await stack.stopUserauth({ kill: true });
      downFrom = load.outcomes.length;
      const since = performance.now();
      probe = await readyzNow(b);
      login = await new WebClient(b).submit('/users/login', '/users/login', heidi);
      await new Promise((r) =>
        setTimeout(r, Math.max(0, OUTAGE_SECONDS * 1000 - (performance.now() - since))),
      );
      downTo = load.outcomes.length;
      await stack.startUserauth();
      recoverMs = await untilReady([a, b]);
    } finally {
      await load.stop();
    }
    const again = await new WebClient(b).submit('/users/login', '/users/login', heidi);

    let lost = 0;
    for (const key of load.acknowledged) {
      if ((await owner.get(`/notes/view?key=${key}`)).res.status !== 200) lost++;
    }
    const crashes = stack.notes.filter(
      (p) => p.child.exitCode !== null || p.child.signalCode !== null,
    ).length;
    const during = summarise(load.outcomes.slice(downFrom, downTo));
    const figures = {
      fault: `svc-userauth killed for ${OUTAGE_SECONDS} s, user cache ${CACHE_SECONDS} s, two replicas; signed-in page views and saves`,
      ...summarise(load.outcomes),
      duringOutage: during,
      recoverMs: { max: recoverMs, median: recoverMs, each: [recoverMs] },
      readyzWhileDown: {
        ms: probe?.ms,
        status: probe?.status,
        failing: (probe?.body as { failing?: unknown })?.failing,
      },
      loginWhileDown: { status: login?.res.status, message: textOf(byId(login?.text ?? '', 'loginmessage')) },
      loginAfterwards: again.res.status,
      writesAcknowledged: load.acknowledged.length,
      acknowledgedWritesLost: lost,
      crashes,
    };
    await record('userauth-outage', figures);

    expect(crashes, stack.output().slice(-4000)).toBe(0);
    // Every signed-in request worked throughout, though every cached look-up expired meanwhile.
    expect(during.requestsTried).toBeGreaterThan(0);
    expect(during.failedByStatus).toEqual({});
    expect(figures.failedByStatus).toEqual({});
    expect(lost).toBe(0);
    expect(login!.res.status).toBe(503);
    expect(figures.loginWhileDown.message).toBe('The account service is unavailable, try again');
    expect(fieldValue(login!.text, 'username')).toBe(heidi.username);
    expect(login!.text).not.toMatch(/127\.0\.0\.1|http:\/\/|ECONNREFUSED/);
    expect(probe!.status).toBe(503);
    expect(figures.readyzWhileDown.failing).toEqual(['userauth']);
    expect(probe!.ms).toBeLessThan(2000);
    expect(again.res.status).toBe(302);
  }, 900_000);
});
