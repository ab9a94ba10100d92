import { migrateUp, openDatabase } from '@notes/kit';
import {
  type ChangeRecorder,
  defineNoteModel,
  defineRevisionModel,
  type LiveEvents,
  migrations,
  NoteRepository,
  NoteService,
  preparedReads,
  RevisionRecorder,
  RevisionRepository,
  TrashRepository,
} from '@notes/notes/testing/internals';
import type { BenchContext } from '../context.js';
import { createDatabase } from '../databases.js';
import { log } from '../log.js';
import { timeSequential } from '../sequential.js';
import { startNotes } from '../services.js';
import { logIn } from '../session.js';
import { type Distribution, distribution, ratio } from '../stats.js';

const REVISIONS = 1000;
/** Lines of the seeded note: 1,000 lines of 100 characters, 100 kB. */
const LINES = 1000;
const SAVE_LINES = 100;
const INSERT_BATCH = 25;

/** One line of a seeded text: 100 characters, numbered, naming the revision that last changed it. */
const line = (i: number, rev: number) =>
  `${String(i).padStart(4, '0')} the quick brown fox jumps over the lazy dog, edit ${rev}; `.padEnd(99, 'x');

/** A text of `lines` lines where the save numbered `rev` changed one line. */
function body(rev: number, lines = LINES): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(line(i, i === rev % lines ? rev : 0));
  return out.join('\n');
}

/** The bodies of revisions 1..count: each rewrites three lines of the one before (words change). */
function revisionBodies(count: number): string[] {
  const lines = Array.from({ length: LINES }, (_, i) => line(i, 0));
  const bodies: string[] = [];
  for (let rev = 1; rev <= count; rev++) {
    for (const t of [(rev * 7) % LINES, (rev * 13 + 5) % LINES, (rev * 31 + 11) % LINES]) {
      lines[t] = line(t, rev);
    }
    bodies.push(lines.join('\n'));
  }
  return bodies;
}

const noEvents: LiveEvents = {
  noteCreated: () => {},
  noteUpdated: () => {},
  noteDestroyed: () => {},
  noteAccessChanged: () => {},
  commentCreated: () => {},
  commentUpdated: () => {},
  commentDestroyed: () => {},
};

/** "Without history": the same save path with a recorder that writes nothing. */
const noHistory: ChangeRecorder = { record: async () => {} };

/**
 * History (DESIGN 4.8): a note with 1,000 revisions of 100 kB each, seeded through the app's
 * migrations and models into a database of its own and served by its own svc-notes; the history
 * page and the diff of two 100 kB revisions timed one request after another (p99 < 50 ms), and the
 * cost of a save with its revision against the same save without one, through the app's own
 * NoteService on the same database in this process, taking turns save by save.
 */
export async function measureHistory(ctx: BenchContext): Promise<void> {
  const o = ctx.options;
  const dbUrl = await createDatabase(ctx.mysqlAdminUrl, 'bench_notes_history');
  const db = openDatabase({ url: dbUrl });
  ctx.onCleanup(() => db.close());
  const reads = preparedReads(db);
  ctx.onCleanup(() => reads.close());
  await migrateUp(db, migrations);
  const Note = defineNoteModel(db);
  const Revision = defineRevisionModel(db);

  const started = performance.now();
  const key = 'bench-history';
  const bodies = revisionBodies(REVISIONS);
  const t0 = Date.now() - REVISIONS * 60_000;
  await Note.create({
    key,
    title: 'A note with a long history',
    body: bodies.at(-1)!,
    owner: ctx.username,
    visibility: 'public',
    version: REVISIONS,
  } as never);
  for (let from = 0; from < REVISIONS; from += INSERT_BATCH) {
    await Revision.bulkCreate(
      bodies.slice(from, from + INSERT_BATCH).map((b, j) => {
        const n = from + j + 1;
        const at = new Date(t0 + n * 60_000);
        return {
          noteKey: key,
          number: n,
          author: n % 3 === 0 ? 'bench-ann' : ctx.username,
          title: 'A note with a long history',
          body: b,
          size: b.length,
          restoredFrom: null,
          createdAt: at,
          updatedAt: at,
        } as never;
      }),
    );
  }
  const seedMs = performance.now() - started;
  log(
    `history: seeded ${REVISIONS} revisions of ${bodies[0]!.length.toLocaleString('en')} characters in ${(seedMs / 1000).toFixed(1)} s`,
  );

  const app = await startNotes(ctx, {
    label: 'notes-history',
    dbUrl,
    redisUrl: ctx.redisUrl,
    userauthUrl: ctx.userauth.url,
  });
  ctx.onCleanup(() => app.stop());
  const cookie = (await logIn(app.url, ctx.username, ctx.password)).jar.header();
  const requests = 200;
  const pages = {
    history: `${app.url}/notes/history?key=${key}`,
    diff: `${app.url}/notes/revision?key=${key}&rev=${REVISIONS}`,
    compare: `${app.url}/notes/revision?key=${key}&rev=${REVISIONS}&compare=1`,
  };
  const timed: Record<string, Distribution> = {};
  for (const [name, url] of Object.entries(pages)) {
    await timeSequential(url, { cookie }, 20, 30_000); // warm-up
    timed[name] = await timeSequential(url, { cookie }, requests, 120_000);
    log(`history: ${name} p50 ${timed[name]!.p50.toFixed(2)} ms, p99 ${timed[name]!.p99.toFixed(2)} ms`);
  }
  await app.stop();

  // Saving with history vs without: the app's NoteService on this database, the same edit form
  // path, one recorder writing revisions (a new one per save: the costlier case) and one writing none.
  const repo = new NoteRepository(db, reads.read);
  const trash = new TrashRepository(db);
  const recorder = new RevisionRecorder(new RevisionRepository(db), { mergeSeconds: 0, keep: 1000 });
  const folding = new RevisionRecorder(new RevisionRepository(db), { mergeSeconds: 300, keep: 1000 });
  const sides = [
    { name: 'without history', service: new NoteService(repo, noEvents, 20, 'public', noHistory, trash) },
    {
      name: 'with history (a revision per save)',
      service: new NoteService(repo, noEvents, 20, 'public', recorder, trash),
    },
    {
      name: 'with history (folded saves)',
      service: new NoteService(repo, noEvents, 20, 'public', folding, trash),
    },
  ];
  const visitor = { username: ctx.username };
  const saveTimes: number[][] = sides.map(() => []);
  const keys = sides.map((_, i) => `bench-save-${i}`);
  for (const [i, side] of sides.entries()) {
    await side.service.save(
      { mode: 'create', key: keys[i]!, title: 'Saved often', body: body(0, SAVE_LINES), version: 0 },
      visitor,
    );
  }
  const versions = sides.map(() => 1);
  // The sides take turns save by save (a different one first each time), so that whatever else
  // runs on the machine meanwhile slows all of them alike.
  const total = Math.max(100, o.edits * o.rounds * 2);
  for (let n = 1; n <= total; n++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (n + k) % sides.length;
      const t = performance.now();
      await sides[i]!.service.save(
        {
          mode: 'update',
          key: keys[i]!,
          title: 'Saved often',
          body: body(n, SAVE_LINES),
          version: versions[i]!,
        },
        visitor,
      );
      saveTimes[i]!.push(performance.now() - t);
      versions[i]! += 1;
    }
  }
  const saves = saveTimes.map((t) => distribution(t));
  for (const [i, side] of sides.entries())
    log(`history: save ${side.name}: p50 ${saves[i]!.p50.toFixed(2)} ms, p99 ${saves[i]!.p99.toFixed(2)} ms`);

  ctx.results.history = {
    revisions: REVISIONS,
    revisionChars: bodies[0]!.length,
    seedMs,
    historyPage: timed.history!,
    diff: timed.diff!,
    compareFirstLast: timed.compare!,
    saveChars: body(0, SAVE_LINES).length,
    saveWithout: saves[0]!,
    saveWith: saves[1]!,
    saveFolded: saves[2]!,
    saveRatio: ratio(saves[1]!.p50, saves[0]!.p50),
    foldedRatio: ratio(saves[2]!.p50, saves[0]!.p50),
  };
}
