import type { BenchContext } from '../context.js';
import { createDatabase } from '../databases.js';
import { loadGet } from '../http-load.js';
import { log } from '../log.js';
import type { ScalePoint } from '../results.js';
import { seedNotes } from '../seed.js';
import { timeSequential } from '../sequential.js';
import { startBaseline, startNotes } from '../services.js';
import { logIn } from '../session.js';
import { distribution } from '../stats.js';

const PER_ROUND = 1000;
const ROUNDS = 6;

/**
 * Home page 1 at the seeded count (the running replica) and at --scale-notes (a second database
 * seeded the same way, with its own svc-notes and baseline): sequential requests on one connection,
 * the sizes alternating in 6 rounds of 1000, all rounds pooled; medians are robust to the spikes a
 * shared machine adds.
 */
export async function measureScale(ctx: BenchContext): Promise<void> {
  const o = ctx.options;
  log(`scale: seeding a second database with ${o.scaleNotes} notes`);
  const bigDbUrl = await createDatabase(ctx.mysqlAdminUrl, 'bench_notes_scale');
  const seeded = await seedNotes({
    dbUrl: bigDbUrl,
    notes: o.scaleNotes,
    owner: ctx.username,
    commentedNotes: o.commentedNotes,
    commentsPerNote: o.commentsPerNote,
  });
  log(`scale: ${seeded.notes} notes in ${(seeded.ms / 1000).toFixed(1)} s`);
  const [bigNotes, bigBaseline] = await Promise.all([
    startNotes(ctx, {
      label: 'notes-scale',
      dbUrl: bigDbUrl,
      redisUrl: ctx.redisUrl,
      userauthUrl: ctx.userauth.url,
    }),
    startBaseline(ctx, {
      kind: 'express',
      notesDbUrl: bigDbUrl,
      usersDbUrl: ctx.usersDbUrl,
      pageSize: ctx.pageSize,
    }),
  ]);
  ctx.onCleanup(() => bigNotes.stop());
  ctx.onCleanup(() => bigBaseline.stop());
  // Sessions live in the shared Redis, so one login serves both replicas.
  const cookie = (await logIn(ctx.notes.url, ctx.username, ctx.password)).jar.header();
  const sizes = [
    { notes: ctx.results.seed.notes, app: ctx.notes, baseline: ctx.baseline },
    { notes: seeded.notes, app: bigNotes, baseline: bigBaseline },
  ];
  // The second replica is fresh while the first has served every earlier phase: both get the same
  // loaded warm-up first, so that JIT warmth does not pass for a difference between the sizes.
  log('scale: warming up both replicas');
  for (const size of sizes) {
    const p = size.app;
    await loadGet({
      url: p.url,
      pid: p.pid,
      path: '/',
      headers: { cookie },
      connections: o.connections,
      duration: 5,
    });
  }
  const times = sizes.map(() => ({ app: [] as number[], baseline: [] as number[] }));
  const maxMs = o.duration * 1000;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, size] of sizes.entries()) {
      const app = await timeSequential(`${size.app.url}/`, { cookie }, PER_ROUND, maxMs);
      const baseline = await timeSequential(`${size.baseline.url}/`, {}, PER_ROUND, maxMs);
      times[i]!.app.push(app.p50);
      times[i]!.baseline.push(baseline.p50);
      log(
        `scale: ${size.notes} notes, round ${round}: median app ${app.p50.toFixed(3)} ms, baseline ${baseline.p50.toFixed(3)} ms`,
      );
    }
  }
  ctx.results.scale = sizes.map(
    (size, i): ScalePoint => ({
      notes: size.notes,
      app: distribution(times[i]!.app),
      baseline: distribution(times[i]!.baseline),
    }),
  );
  await Promise.all([bigNotes.stop(), bigBaseline.stop()]);
}
