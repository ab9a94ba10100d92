import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppStack, startAppStack } from '../app/app-stack.js';

/**
 * The trash purge (DESIGN 4.8) runs on one replica at a time: two svc-notes processes (built
 * dist/main.js) on one database, each trying every second; only the lease holder runs it, and
 * when the holder stops, the other takes over.
 */
describe('the trash purge job with two replicas', () => {
  let stack: AppStack;

  beforeAll(async () => {
    stack = await startAppStack({
      notesReplicas: 2,
      redis: 'none',
      name: 'purge',
      notesEnv: { NOTES_TRASH_PURGE_SECONDS: '1', LOG_LEVEL: 'info' },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** How many purge rounds each replica has logged so far. */
  const rounds = () =>
    stack.notes.map(
      (p) =>
        p
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"trash purge ran"')).length,
    );

  it('only one replica purges while both run; the other takes over when it stops', async () => {
    await expect
      .poll(() => Math.max(...rounds()), { timeout: 15_000, interval: 250 })
      .toBeGreaterThanOrEqual(4);
    const [a, b] = rounds();
    // One of them ran every round; the other never did.
    expect(Math.min(a!, b!)).toBe(0);
    const holder = a! > 0 ? 0 : 1;
    const other = 1 - holder;

    await stack.notes[holder]!.stop();
    await expect.poll(() => rounds()[other]!, { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(2);
  });
});
