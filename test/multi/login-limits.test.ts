import { WebClient } from '@notes/notes/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppStack, startAppStack } from '../app/app-stack.js';

/**
 * Two svc-notes processes behind a proxy (they trust X-Forwarded-For from loopback, as they would
 * from the edge proxy's address) share their failed-login counters through Redis: an attacker
 * spreading 100 failures over both replicas locks nobody out, and is slowed down on both.
 */
describe('login limits across two replicas behind a proxy', () => {
  let stack: AppStack;
  const victim = { username: 'olivia', password: 'olivia-password-1' };
  const ATTACKS = 100;

  beforeAll(async () => {
    stack = await startAppStack({
      notesReplicas: 2,
      redis: 'own',
      name: 'limits',
      notesEnv: {
        NOTES_TRUST_PROXY: 'loopback',
        // Default thresholds; waits of a few milliseconds keep 100 failures quick.
        NOTES_LOGIN_DELAY_BASE_MS: '1',
        NOTES_LOGIN_DELAY_MAX_MS: '4',
      },
    });
    await stack.createUser(victim.username, victim.password);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const replica = (i: number, address: string) =>
    new WebClient(stack.notes[i % 2]!.url, { 'x-forwarded-for': address });
  const delayed = (i: number) => (stack.notes[i]!.output().match(/"msg":"login delayed"/g) ?? []).length;

  it("a victim's correct login succeeds on both replicas after 100 failures spread over them", async () => {
    const attacker = '203.0.113.50';
    for (let i = 0; i < ATTACKS; i++) {
      const { res } = await replica(i, attacker).submit('/users/login', '/users/login', {
        username: victim.username,
        password: `guess-${i}`,
      });
      expect(res.status).toBe(401);
    }
    // Each replica saw only half of the failures, yet both slowed the attacker down by the
    // username's count (10 allowed) and then the address's (50 allowed): the counters are shared.
    // (Log lines reach this process a moment after the response: poll for them.)
    await expect.poll(() => delayed(0)).toBe(45);
    await expect.poll(() => delayed(1)).toBe(45);

    const before = [delayed(0), delayed(1)];
    // From another forwarded address: checked at once, on either replica.
    for (const i of [0, 1]) {
      const { res } = await replica(i, '198.51.100.60').login(victim.username, victim.password);
      expect(res.status).toBe(302);
    }
    await expect.poll(() => [delayed(0), delayed(1)]).toEqual(before);
    // From the attacker's own forwarded address (a shared NAT): slowed down, still let in.
    for (const i of [0, 1]) {
      const { res } = await replica(i, attacker).login(victim.username, victim.password);
      expect(res.status).toBe(302);
    }
    await expect.poll(() => [delayed(0), delayed(1)]).toEqual([before[0]! + 1, before[1]! + 1]);
  });
});
