import type { BenchContext } from '../context.js';
import { timeEdits } from '../edits.js';
import { openSwarm, type Swarm } from '../fanout.js';
import { log, sleep } from '../log.js';
import { MB, rssBytes } from '../memory.js';
import type { BenchProcess } from '../process.js';
import { startNotes } from '../services.js';
import { logIn } from '../session.js';
import { distribution } from '../stats.js';

const SETTLE_MS = 5000;

/** Mean RSS of a process over a few samples, after letting it settle. */
async function settledRss(pid: number): Promise<number> {
  await sleep(SETTLE_MS);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(await rssBytes(pid));
    await sleep(200);
  }
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

/**
 * A fresh replica B joins replica A (same database, same Redis). With all sockets on B: its RSS
 * before and after they connect (idle, joined to a note room), then the edits. Then half of the
 * sockets move to A and the same edits run again (still saved through B), so updates cross Redis.
 */
export async function measureFanout(
  ctx: BenchContext,
  phases: { fanout: boolean; memory: boolean },
): Promise<void> {
  const o = ctx.options;
  const b: BenchProcess = await startNotes(ctx, {
    label: 'notes-b',
    dbUrl: ctx.notesDbUrl,
    redisUrl: ctx.redisUrl,
    userauthUrl: ctx.userauth.url,
    cpuProfDir: o.cpuProf,
  });
  ctx.onCleanup(() => b.stop());
  const swarms: Swarm[] = [];
  ctx.onCleanup(async () => {
    for (const s of swarms) s.close();
  });

  const rssBefore = await settledRss(b.pid);
  log(`fanout: opening ${o.sockets} sockets on one replica`);
  const onB = await openSwarm(b.url, ctx.noteKey, o.sockets);
  swarms.push(onB);
  if (phases.memory) {
    const rssAfter = await settledRss(b.pid);
    ctx.results.memory = {
      sockets: o.sockets,
      rssBeforeMB: rssBefore / MB,
      rssAfterMB: rssAfter / MB,
      perThousandMB: ((rssAfter - rssBefore) / MB / o.sockets) * 1000,
    };
    log(
      `memory: ${(rssBefore / MB).toFixed(1)} → ${(rssAfter / MB).toFixed(1)} MB with ${o.sockets} sockets`,
    );
  }
  if (!phases.fanout) return;

  const editor = await logIn(b.url, ctx.username, ctx.password);
  log(`fanout: ${o.edits} edits, ${o.sockets} sockets on one replica`);
  const one = await timeEdits(editor, ctx.noteKey, onB, o.edits);
  ctx.results.fanout.push({
    setup: `${o.sockets} sockets on 1 replica`,
    replicas: 1,
    sockets: o.sockets,
    allDelivered: distribution(one.allDelivered),
    deliveries: distribution(one.deliveries),
    saves: distribution(one.saves),
  });

  const half = Math.floor(o.sockets / 2);
  onB.close(half);
  log(`fanout: moving ${half} sockets to the other replica`);
  const onA = await openSwarm(ctx.notes.url, ctx.noteKey, half);
  swarms.push(onA);
  const split: Swarm = {
    sockets: [...onB.sockets, ...onA.sockets],
    nextUpdate: async (version, waitMs) => {
      const [x, y] = await Promise.all([onB.nextUpdate(version, waitMs), onA.nextUpdate(version, waitMs)]);
      return [...x, ...y];
    },
    close: () => {},
  };
  log(`fanout: ${o.edits} edits, sockets split over two replicas`);
  const two = await timeEdits(editor, ctx.noteKey, split, o.edits);
  ctx.results.fanout.push({
    setup: `${split.sockets.length} sockets on 2 replicas (${onB.sockets.length} + ${onA.sockets.length}) via Redis`,
    replicas: 2,
    sockets: split.sockets.length,
    allDelivered: distribution(two.allDelivered),
    deliveries: distribution(two.deliveries),
    saves: distribution(two.saves),
  });
  for (const s of swarms.splice(0)) s.close();
  await b.stop();
}
