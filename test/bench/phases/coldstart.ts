import type { BenchContext } from '../context.js';
import { log } from '../log.js';
import type { BenchProcess } from '../process.js';
import { startNotes, startUserauth } from '../services.js';
import { percentile } from '../stats.js';

const RUNS = 3;

async function timeStarts(service: string, start: (run: number) => Promise<BenchProcess>): Promise<number[]> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const p = await start(i);
    runs.push(p.readyMs);
    await p.stop();
  }
  log(`coldstart: ${service}: ${runs.map((r) => r.toFixed(0)).join(', ')} ms`);
  return runs;
}

/** Spawn → first 200 from /readyz, three times per service, on the already migrated databases. */
export async function measureColdStart(ctx: BenchContext): Promise<void> {
  const services: [string, (run: number) => Promise<BenchProcess>][] = [
    [
      'svc-userauth',
      (i) =>
        startUserauth(ctx, {
          label: `userauth-cold-${i}`,
          dbUrl: ctx.usersDbUrl,
          bcryptCost: ctx.options.bcryptCost,
        }),
    ],
    [
      'svc-notes',
      (i) =>
        startNotes(ctx, {
          label: `notes-cold-${i}`,
          dbUrl: ctx.notesDbUrl,
          redisUrl: ctx.redisUrl,
          userauthUrl: ctx.userauth.url,
          cpuProfDir: ctx.options.cpuProf,
        }),
    ],
  ];
  for (const [service, start] of services) {
    const runsMs = await timeStarts(service, start);
    ctx.results.coldStart.push({
      service,
      runsMs,
      medianMs: percentile(runsMs, 50),
      maxMs: Math.max(...runsMs),
    });
  }
}
