/**
 * `pnpm bench`: the app against a bare baseline, measured side by side in one run on this machine.
 * See README "Benchmarks". Everything runs on loopback; every wait is bounded.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, startMariadb, startRedis } from '@notes/testkit';
import { UserauthClient } from '@notes/userauth/client';
import { type BenchOptions, parseBenchArgs, USAGE } from './cli.js';
import type { BenchContext } from './context.js';
import { createDatabase } from './databases.js';
import { checkOpenFiles, openFilesLimit } from './limits.js';
import { log } from './log.js';
import { measureColdStart } from './phases/coldstart.js';
import { measureCollab } from './phases/collab.js';
import { measureFanout } from './phases/fanout.js';
import { measureHistory } from './phases/history.js';
import { measureHttp } from './phases/http.js';
import { measureScale } from './phases/scale.js';
import { measureSearch } from './phases/search.js';
import { measureSharing } from './phases/sharing.js';
import { renderMarkdown } from './report.js';
import { newResults, type Results, writeResults } from './results.js';
import { seedNotes } from './seed.js';
import { newSecrets, startBaseline, startNotes, startUserauth } from './services.js';
import { evaluateTargets } from './targets.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** A default run takes 3-5 minutes; nothing may keep it alive past this. */
const WATCHDOG_MS = 20 * 60_000;
const PAGE_SIZE = 20;

async function bench(
  options: BenchOptions,
  results: Results,
  onCleanup: (s: () => Promise<unknown>) => void,
) {
  const logDir = await mkdtemp(join(tmpdir(), 'notes-bench-'));
  onCleanup(() => rm(logDir, { recursive: true, force: true }));
  log('starting MariaDB and Redis');
  const [mariadb, redis] = await Promise.all([startMariadb(), startRedis()]);
  onCleanup(() => mariadb.stop());
  onCleanup(() => redis.stop());
  const [notesDbUrl, usersDbUrl] = await Promise.all([
    createDatabase(mariadb.url, 'bench_notes'),
    createDatabase(mariadb.url, 'bench_users'),
  ]);
  const username = 'bench';
  const password = randomBytes(12).toString('base64url');
  log(`seeding ${options.notes} notes through the app's migrations and models`);
  const seed = await seedNotes({
    dbUrl: notesDbUrl,
    notes: options.notes,
    owner: username,
    commentedNotes: options.commentedNotes,
    commentsPerNote: options.commentsPerNote,
    searchIndex: options.only.has('http') && options.scenarios.has('search'),
  });
  results.seed = { notes: seed.notes, comments: seed.comments, ms: seed.ms };
  results.bcryptCost = options.bcryptCost;
  log(`seeded ${seed.notes} notes, ${seed.comments} comments in ${(seed.ms / 1000).toFixed(1)} s`);

  const common = {
    logDir,
    secrets: newSecrets(),
    notesEnv: options.notesEnv,
    notesEntry: options.notesEntry,
  };
  const userauth = await startUserauth(common, {
    label: 'userauth',
    dbUrl: usersDbUrl,
    bcryptCost: options.bcryptCost,
  });
  onCleanup(() => userauth.stop());
  await new UserauthClient({ url: userauth.url, apiKey: common.secrets.apiKey }).createUser({
    username,
    password,
  });
  const notesOn = (label: string, entry?: string, env?: Record<string, string>) =>
    startNotes(common, {
      label,
      dbUrl: notesDbUrl,
      redisUrl: redis.url,
      userauthUrl: userauth.url,
      cpuProfDir: options.cpuProf,
      entry,
      env,
    });
  const baselineOf = (kind: 'express' | 'raw') =>
    startBaseline(common, { kind, notesDbUrl, usersDbUrl, pageSize: PAGE_SIZE, cpuProfDir: options.cpuProf });
  // One after the other: the B side migrates nothing the A side has not already.
  const notes = await notesOn('notes-a');
  onCleanup(() => notes.stop());
  const notesB =
    options.notesEntryB || options.notesEnvB
      ? await notesOn('notes-b', options.notesEntryB, options.notesEnvB)
      : undefined;
  if (notesB) onCleanup(() => notesB.stop());
  const [baseline, raw] = await Promise.all([baselineOf('express'), baselineOf('raw')]);
  onCleanup(() => baseline.stop());
  onCleanup(() => raw.stop());
  log(
    `userauth ${userauth.url}, notes ${notes.url}${notesB ? `, notes-b ${notesB.url}` : ''}, ` +
      `baseline ${baseline.url}, raw ${raw.url}`,
  );

  const ctx: BenchContext = {
    ...common,
    options,
    results,
    mysqlAdminUrl: mariadb.url,
    redisUrl: redis.url,
    notesDbUrl,
    usersDbUrl,
    userauth,
    notes,
    notesB,
    baseline,
    raw,
    pageSize: PAGE_SIZE,
    username,
    password,
    noteKey: seed.newestKey,
    onCleanup,
  };
  const phase = async (name: string, work: () => Promise<void>) => {
    const start = loadavg()[0]!;
    try {
      await work();
    } catch (err) {
      const message = `${name}: ${(err as Error).message}`;
      log(`FAILED ${message}`);
      results.errors.push(message);
    } finally {
      results.load.push({ phase: name, start, end: loadavg()[0]! });
    }
  };
  if (options.only.has('http')) await phase('http', () => measureHttp(ctx));
  if (options.only.has('fanout') || options.only.has('memory')) {
    await phase('fanout', () =>
      measureFanout(ctx, { fanout: options.only.has('fanout'), memory: options.only.has('memory') }),
    );
  }
  if (options.only.has('coldstart')) await phase('coldstart', () => measureColdStart(ctx));
  if (options.only.has('sharing')) await phase('sharing', () => measureSharing(ctx));
  if (options.only.has('history')) await phase('history', () => measureHistory(ctx));
  if (options.only.has('search')) await phase('search', () => measureSearch(ctx));
  if (options.only.has('collab')) await phase('collab', () => measureCollab(ctx));
  if (options.scale && options.only.has('scale')) await phase('scale', () => measureScale(ctx));
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.only.has('fanout') || options.only.has('memory')) checkOpenFiles(options.sockets);
  const { only, scenarios, ...rest } = options;
  const results = newResults({ ...rest, only: [...only], scenarios: [...scenarios] }, openFilesLimit());
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch {
        /* best effort */
      }
    }
  };
  const interrupted = () => {
    log('interrupted: stopping everything');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const watchdog = setTimeout(() => {
    log(`still running after ${WATCHDOG_MS / 60_000} minutes: giving up`);
    interrupted();
  }, WATCHDOG_MS);
  watchdog.unref();
  let failed = false;
  try {
    await bench(options, results, (s) => cleanups.push(s));
  } catch (err) {
    failed = true;
    results.errors.push((err as Error).stack ?? String(err));
    log(`FAILED: ${(err as Error).message}`);
  } finally {
    log('stopping services and stores');
    await cleanup();
    clearTimeout(watchdog);
  }
  results.finishedAt = new Date().toISOString();
  results.targets = evaluateTargets(results);
  const markdown = renderMarkdown(results);
  const files = await writeResults(resolve(options.outDir ?? join(HERE, 'results')), results, markdown);
  process.stdout.write(`\n${markdown}\n`);
  log(`wrote ${files.map((f) => relative(REPO_ROOT, f)).join(' and ')}`);
  return failed || results.errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
