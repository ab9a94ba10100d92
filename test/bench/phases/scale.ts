import type { BenchContext } from '../context.js';
import { loadGet } from '../http-load.js';
import { log } from '../log.js';
import { seedNotes } from '../seed.js';
import { logIn } from '../session.js';

/** Home page 1 with one connection at the seeded count, then again after topping up to --scale-notes. */
export async function measureScale(ctx: BenchContext): Promise<void> {
  const o = ctx.options;
  const cookie = (await logIn(ctx.notes.url, ctx.username, ctx.password)).jar.header();
  const measure = async (notes: number) => {
    const baseline = await loadGet({
      url: ctx.baseline.url,
      path: '/',
      connections: 1,
      duration: o.duration,
    });
    const app = await loadGet({
      url: ctx.notes.url,
      path: '/',
      headers: { cookie },
      connections: 1,
      duration: o.duration,
    });
    log(`scale: ${notes} notes: app ${app.mean.toFixed(2)} ms, baseline ${baseline.mean.toFixed(2)} ms`);
    ctx.results.scale.push({ notes, app, baseline });
  };
  await measure(ctx.results.seed.notes);
  log(`scale: seeding up to ${o.scaleNotes} notes`);
  const seeded = await seedNotes({
    dbUrl: ctx.notesDbUrl,
    notes: o.scaleNotes,
    owner: ctx.username,
    commentedNotes: 0,
    commentsPerNote: 0,
  });
  log(`scale: ${seeded.notes} notes after ${(seeded.ms / 1000).toFixed(1)} s`);
  await measure(seeded.notes);
}
