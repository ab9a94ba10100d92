import type { BenchContext } from '../context.js';
import { type EditTimings, timeEdits } from '../edits.js';
import { openSwarm, type Swarm } from '../fanout.js';
import { log, sleep } from '../log.js';
import { MB, rssBytes } from '../memory.js';
import type { BenchProcess } from '../process.js';
import type { FanoutSetup } from '../results.js';
import { startNotes } from '../services.js';
import { logIn } from '../session.js';
import { distribution } from '../stats.js';

const SETTLE_MS = 5000;

const emptyTimings = (): EditTimings => ({ allDelivered: [], deliveries: [], saves: [] });

function add(into: EditTimings, from: EditTimings): void {
  into.allDelivered.push(...from.allDelivered);
  into.deliveries.push(...from.deliveries);
  into.saves.push(...from.saves);
}

function setup(name: string, replicas: number, sockets: number, t: EditTimings): FanoutSetup {
  return {
    setup: name,
    replicas,
    sockets,
    allDelivered: distribution(t.allDelivered),
    deliveries: distribution(t.deliveries),
    saves: distribution(t.saves),
  };
}

/** Two swarms seen as one: an update counts once every socket of both has it. */
function merge(x: Swarm, y: Swarm): Swarm {
  return {
    get sockets() {
      return [...x.sockets, ...y.sockets];
    },
    nextUpdate: async (version, waitMs) => {
      const [a, b] = await Promise.all([x.nextUpdate(version, waitMs), y.nextUpdate(version, waitMs)]);
      return [...a, ...b];
    },
    close: (count) => {
      const fromX = Math.min(count ?? Number.POSITIVE_INFINITY, x.sockets.length);
      x.close(fromX);
      if (count === undefined) y.close();
      else if (count > fromX) y.close(count - fromX);
    },
  };
}

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
 * sockets move to A and the edits go on (still saved through B), so updates cross Redis.
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

  // The two setups alternate in blocks (one, two, one, two…) so that a busy spell of the machine
  // does not land on one setup only. Half of the sockets move between the replicas between blocks.
  const editor = await logIn(b.url, ctx.username, ctx.password);
  const half = Math.floor(o.sockets / 2);
  const blocks = Math.max(1, Math.min(o.rounds, o.edits));
  const perBlock = Math.ceil(o.edits / blocks);
  const timings = { one: emptyTimings(), two: emptyTimings() };
  let moved: Swarm | undefined;
  let onBNow = onB;
  for (let block = 0; block < blocks; block++) {
    if (moved) {
      moved.close();
      log(`fanout: moving ${half} sockets back to one replica`);
      const back = await openSwarm(b.url, ctx.noteKey, half);
      swarms.push(back);
      onBNow = merge(onBNow, back);
      moved = undefined;
    }
    log(`fanout: ${perBlock} edits, ${o.sockets} sockets on one replica (block ${block + 1} of ${blocks})`);
    add(timings.one, await timeEdits(editor, ctx.noteKey, onBNow, perBlock));

    onBNow.close(half);
    log(`fanout: moving ${half} sockets to the other replica`);
    moved = await openSwarm(ctx.notes.url, ctx.noteKey, half);
    swarms.push(moved);
    const split = merge(onBNow, moved);
    log(`fanout: ${perBlock} edits, sockets split over two replicas (block ${block + 1} of ${blocks})`);
    add(timings.two, await timeEdits(editor, ctx.noteKey, split, perBlock));
  }
  ctx.results.fanout.push(
    setup(`${o.sockets} sockets on 1 replica`, 1, o.sockets, timings.one),
    setup(
      `${o.sockets} sockets on 2 replicas (${o.sockets - half} + ${half}) via Redis`,
      2,
      o.sockets,
      timings.two,
    ),
  );
  for (const s of swarms.splice(0)) s.close();
  await b.stop();
}
