import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openDatabase } from '@notes/kit';
import { type CollabClient, closeCollab, openCollab, Y } from '@notes/notes/testing';
import { defineNoteModel, initialState } from '@notes/notes/testing/internals';
import type { BenchContext } from '../context.js';
import { cpuMs } from '../cpu.js';
import { createDatabase } from '../databases.js';
import { log } from '../log.js';
import { MB, rssBytes } from '../memory.js';
import { startNotes } from '../services.js';
import { logIn } from '../session.js';
import { distribution } from '../stats.js';

const EDITORS = 50;
const CHARS_PER_SECOND = 5;
const TYPING_MS = 15_000;
/** A 100 kB note: 1,000 lines of 100 characters. */
const BODY = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')} `.padEnd(99, 'x')).join(
  '\n',
);
/** Notes loaded one by one on a replica to measure the memory of a loaded document. */
const MEMORY_NOTES = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Editing together (DESIGN 4.9): 50 headless editors (the page's own CollabClient) on one 100 kB
 * note, half on each of two svc-notes replicas sharing MariaDB and Redis, each typing 5 characters
 * a second at its own place. Measured: from a keystroke to its arrival at every other editor (the
 * insert's Yjs id recognised in the updates each receives), the replicas' CPU per stored update,
 * the log rows during typing and after compaction, and the memory of a loaded 100 kB document.
 */
export async function measureCollab(ctx: BenchContext): Promise<void> {
  const dbUrl = await createDatabase(ctx.mysqlAdminUrl, 'bench_notes_collab');
  const start = (label: string) =>
    startNotes(ctx, {
      label,
      dbUrl,
      redisUrl: ctx.redisUrl,
      userauthUrl: ctx.userauth.url,
      cpuProfDir: ctx.options.cpuProf,
    });
  const a = await start('notes-collab-a');
  ctx.onCleanup(() => a.stop());
  const b = await start('notes-collab-b');
  ctx.onCleanup(() => b.stop());
  const db = openDatabase({ url: dbUrl });
  ctx.onCleanup(() => db.close());
  const Note = defineNoteModel(db);
  const key = 'bench-collab';
  for (const k of [key, ...Array.from({ length: MEMORY_NOTES }, (_, i) => `bench-collab-mem-${i}`)])
    await Note.create({
      key: k,
      title: k,
      body: BODY,
      owner: ctx.username,
      visibility: 'public',
      version: 1,
    } as never);
  const cookie = (await logIn(a.url, ctx.username, ctx.password)).jar.header();
  const rows = async () => {
    const [found] = await db.query('SELECT COUNT(*) AS n FROM note_collab_updates');
    return Number((found as { n: number }[])[0]?.n ?? 0);
  };

  // Memory of a loaded document: one client opens 20 notes one after another on replica A.
  await sleep(1000);
  const rssBefore = await rssBytes(a.pid);
  const memClients: CollabClient[] = [];
  for (let i = 0; i < MEMORY_NOTES; i++)
    memClients.push(await openCollab(a.url, `bench-collab-mem-${i}`, { cookie }));
  await sleep(1000);
  const rssAfter = await rssBytes(a.pid);
  for (const c of memClients) closeCollab(c);
  const rssPerNoteMB = (rssAfter - rssBefore) / MEMORY_NOTES / MB;
  // RSS moves with the garbage collector; the heap of documents built as a replica builds them
  // (the stored state of a 100 kB note applied to a new Y.Doc), measured after a full collection,
  // is the figure per note.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const state = initialState(BODY);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const docs = Array.from({ length: MEMORY_NOTES }, () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return doc;
  });
  gc();
  const perNoteMB = (process.memoryUsage().heapUsed - heapBefore) / MEMORY_NOTES / MB;
  for (const doc of docs) doc.destroy();
  log(
    `collab: a loaded 100 kB note: ${perNoteMB.toFixed(2)} MB heap (replica RSS +${rssPerNoteMB.toFixed(2)} MB each over ${MEMORY_NOTES})`,
  );

  const editors: CollabClient[] = [];
  for (let i = 0; i < EDITORS; i++)
    editors.push(await openCollab(i % 2 === 0 ? a.url : b.url, key, { cookie }));
  // Every insert is one Yjs item: its id (client, clock) is looked up when it reaches the others.
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  for (const c of editors) {
    c.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== c) return;
      const now = performance.now();
      // A merged update carries several keystrokes in one struct: every clock of it counts.
      for (const s of Y.decodeUpdate(update).structs) {
        for (let k = 0; k < s.length; k++) {
          const at = sentAt.get(`${s.id.client}:${s.id.clock + k}`);
          if (at !== undefined) latencies.push(now - at);
        }
      }
    });
  }
  const cpu0 = (await cpuMs(a.pid)) + (await cpuMs(b.pid));
  const clientCpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const acked0 = editors.reduce((n, c) => n + c.acknowledged, 0);
  let maxRows = 0;
  let typed = 0;
  const until = performance.now() + TYPING_MS;
  const typing = editors.map(async (c, i) => {
    await sleep((i * 1000) / CHARS_PER_SECOND / EDITORS);
    // Each types at the start of its own line, moving forward like a person (a relative position
    // keeps the place while the others type elsewhere).
    const text = c.text;
    let place = Y.createRelativePositionFromTypeIndex(text, ((i * 19) % 1000) * 100);
    for (let n = 0; performance.now() < until; n++) {
      const at = Y.createAbsolutePositionFromRelativePosition(place, c.doc)?.index ?? 0;
      const clock = Y.getState(c.doc.store, c.doc.clientID);
      sentAt.set(`${c.doc.clientID}:${clock}`, performance.now());
      text.insert(at, String.fromCharCode(97 + (n % 26)));
      place = Y.createRelativePositionFromTypeIndex(text, at + 1);
      typed++;
      await sleep(1000 / CHARS_PER_SECOND);
    }
  });
  const sampler = setInterval(() => {
    void rows().then((n) => {
      maxRows = Math.max(maxRows, n);
    });
  }, 500);
  await Promise.all(typing);
  const settle = performance.now() + 30_000;
  while (!editors.every((c) => c.allSaved) && performance.now() < settle) await sleep(100);
  const acked = editors.reduce((n, c) => n + c.acknowledged, 0) - acked0;
  const cpu1 = (await cpuMs(a.pid)) + (await cpuMs(b.pid));
  const clientCpu = process.cpuUsage(clientCpu0);
  // The 50 editors live in this process: its CPU share of one core tells whether they, rather than
  // the replicas, are what delays a delivery.
  const clientCpuShare = (clientCpu.user + clientCpu.system) / 1000 / (performance.now() - wall0);
  clearInterval(sampler);
  const rowsAtStop = await rows();
  maxRows = Math.max(maxRows, rowsAtStop);
  while (performance.now() < settle && new Set(editors.map((c) => c.text.toString())).size > 1)
    await sleep(100);
  const converged = new Set(editors.map((c) => c.text.toString())).size === 1;
  const compactBy = performance.now() + 30_000;
  while ((await rows()) > 0 && performance.now() < compactBy) await sleep(200);
  const rowsAfter = await rows();
  const [found] = await db.query('SELECT body FROM notes WHERE `key` = ?', { replacements: [key] });
  const stored = (found as { body: string }[])[0];
  const bodyMatches = stored?.body === editors[0]!.text.toString();
  for (const c of editors) closeCollab(c);
  const d = distribution(latencies);
  log(
    `collab: ${typed} keystrokes by ${EDITORS} editors, ${latencies.length} deliveries: p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms; ` +
      `${acked} stored updates, ${((cpu1 - cpu0) / Math.max(1, acked)).toFixed(2)} ms CPU each; editors' process ${(clientCpuShare * 100).toFixed(0)}% of a core; log rows max ${maxRows}, after compaction ${rowsAfter}; converged ${converged}, body matches ${bodyMatches}`,
  );
  ctx.results.collab = {
    editors: EDITORS,
    charsPerSecond: CHARS_PER_SECOND,
    seconds: TYPING_MS / 1000,
    noteChars: BODY.length,
    keystrokes: typed,
    deliveries: latencies.length,
    expectedDeliveries: typed * (EDITORS - 1),
    latency: d,
    storedUpdates: acked,
    cpuMsPerUpdate: (cpu1 - cpu0) / Math.max(1, acked),
    editorsCpuShare: clientCpuShare,
    logRowsMax: maxRows,
    logRowsAfterCompaction: rowsAfter,
    converged,
    bodyMatches,
    memoryPerNoteMB: perNoteMB,
    rssPerNoteMB,
  };
  await Promise.all([a.stop(), b.stop()]);
}
