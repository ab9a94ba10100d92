import type { BenchContext } from '../context.js';
import { createDatabase } from '../databases.js';
import { type HttpResult, loadGet } from '../http-load.js';
import { log } from '../log.js';
import type { BenchProcess } from '../process.js';
import type { ScalePoint } from '../results.js';
import { seedNotes } from '../seed.js';
import { startBaseline, startNotes } from '../services.js';
import { logIn } from '../session.js';

const best = (results: HttpResult[]) => results.reduce((x, y) => (y.mean < x.mean ? y : x));

/**
 * Home page 1 with one connection at the seeded count (the running replica) and at --scale-notes
 * (a second database seeded the same way, with its own svc-notes and baseline). The sizes alternate
 * round by round; the best (lowest mean) round of each counts.
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
    startBaseline(ctx, { notesDbUrl: bigDbUrl, usersDbUrl: ctx.usersDbUrl, pageSize: ctx.pageSize }),
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
    await loadGet({
      url: size.app.url,
      pid: size.app.pid,
      path: '/',
      headers: { cookie },
      connections: o.connections,
      duration: o.duration,
    });
  }
  const rounds = sizes.map(() => ({ app: [] as HttpResult[], baseline: [] as HttpResult[] }));
  for (let round = 1; round <= o.rounds; round++) {
    for (const [i, size] of sizes.entries()) {
      const one = (p: BenchProcess, headers: Record<string, string>) =>
        loadGet({ url: p.url, pid: p.pid, path: '/', headers, connections: 1, duration: o.duration });
      const app = await one(size.app, { cookie });
      const baseline = await one(size.baseline, {});
      rounds[i]!.app.push(app);
      rounds[i]!.baseline.push(baseline);
      log(
        `scale: ${size.notes} notes, round ${round}: app ${app.mean.toFixed(2)} ms, baseline ${baseline.mean.toFixed(2)} ms`,
      );
    }
  }
  ctx.results.scale = sizes.map(
    (size, i): ScalePoint => ({
      notes: size.notes,
      app: best(rounds[i]!.app),
      baseline: best(rounds[i]!.baseline),
    }),
  );
  await Promise.all([bigNotes.stop(), bigBaseline.stop()]);
}
