import type { BenchContext } from '../context.js';
import { createDatabase } from '../databases.js';
import { type HttpResult, loadGet } from '../http-load.js';
import { log } from '../log.js';
import { seedNotes } from '../seed.js';
import { startNotes } from '../services.js';
import { logIn } from '../session.js';
import { ratio } from '../stats.js';

/** Owners of the mixed database: the benchmark user first, then three others. */
const OTHER_OWNERS = ['bench-ann', 'bench-ben', 'bench-cat'];

/**
 * Home page 1 (logged in) on a database of --notes notes of mixed visibility (private, team, public
 * in turn, four owners) with --grants grants, against today's home page (the main replica: every
 * note public, as after the upgrade migration), same code, same settings: CPU ms per request of
 * each svc-notes process, rounds alternating, the lowest of each counts.
 */
export async function measureSharing(ctx: BenchContext): Promise<void> {
  const o = ctx.options;
  log(`sharing: seeding ${o.notes} notes of mixed visibility and ${o.grants} grants`);
  const dbUrl = await createDatabase(ctx.mysqlAdminUrl, 'bench_notes_sharing');
  const seeded = await seedNotes({
    dbUrl,
    notes: o.notes,
    owner: ctx.username,
    commentedNotes: 0,
    commentsPerNote: 0,
    mix: { owners: [ctx.username, ...OTHER_OWNERS], grants: o.grants },
  });
  log(`sharing: ${seeded.notes} notes, ${seeded.grants} grants in ${(seeded.ms / 1000).toFixed(1)} s`);
  const mixed = await startNotes(ctx, {
    label: 'notes-sharing',
    dbUrl,
    redisUrl: ctx.redisUrl,
    userauthUrl: ctx.userauth.url,
  });
  ctx.onCleanup(() => mixed.stop());
  const cookie = (await logIn(ctx.notes.url, ctx.username, ctx.password)).jar.header();
  const sides = [
    { name: 'today (all public)', app: ctx.notes },
    { name: 'mixed visibility + grants', app: mixed },
  ];
  const get = (side: (typeof sides)[number], duration: number) =>
    loadGet({
      url: side.app.url,
      pid: side.app.pid,
      path: '/',
      headers: { cookie },
      connections: o.connections,
      duration,
      warmup: o.warmup,
    });
  for (const side of sides) await get(side, 3); // warm-up: the mixed replica is fresh
  const rounds: HttpResult[][] = sides.map(() => []);
  for (let round = 1; round <= o.rounds; round++) {
    for (const [i, side] of sides.entries()) {
      const r = await get(side, o.duration);
      rounds[i]!.push(r);
      log(
        `sharing: ${side.name}, round ${round}: ${r.reqPerSec.toFixed(0)} req/s, CPU ${r.cpuMsPerRequest.toFixed(3)} ms/request`,
      );
    }
  }
  const cpu = rounds.map((rs) => Math.min(...rs.map((r) => r.cpuMsPerRequest)));
  ctx.results.sharing = {
    notes: seeded.notes,
    grants: seeded.grants,
    todayCpuMs: cpu[0]!,
    mixedCpuMs: cpu[1]!,
    cpuRatio: ratio(cpu[1]!, cpu[0]!),
  };
  await mixed.stop();
}
