import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from './cli.js';
import type { HttpResult } from './http-load.js';
import type { SearchSize } from './phases/search.js';
import type { Distribution } from './stats.js';

/** One round of a scenario: every side once, and the 1-minute load average when it ended. */
export interface HttpRound {
  baseline: HttpResult;
  raw: HttpResult;
  app: HttpResult;
  appB?: HttpResult;
  load: number;
}

export interface HttpComparison {
  id: Scenario;
  scenario: string;
  /** The best round of each (highest req/s); every round is in `rounds`. */
  baseline: HttpResult;
  /** The limit: the baseline's pages on node:http (baseline/raw.ts). */
  raw: HttpResult;
  app: HttpResult;
  /** The B side of an A/B run (--notes-entry-b). */
  appB?: HttpResult;
  rounds: HttpRound[];
  /** app req/s ÷ baseline req/s (best rounds). */
  ratio: number;
  /**
   * baseline CPU ms per request ÷ app CPU ms per request (the throughput ratio if both were
   * CPU-bound): the median over the rounds of the ratio within each round.
   */
  cpuRatio: number;
  /** Likewise, raw ÷ app. */
  cpuRatioRaw: number;
  /** Likewise, app (A) ÷ app B: above 1 when B costs less CPU per request. */
  cpuRatioB?: number;
}

export interface FanoutSetup {
  setup: string;
  replicas: number;
  sockets: number;
  /** Per edit: ms until the last client had it. */
  allDelivered: Distribution;
  /** Every delivery of every edit. */
  deliveries: Distribution;
  /** The save request alone. */
  saves: Distribution;
}

export interface ColdStart {
  service: string;
  runsMs: number[];
  medianMs: number;
  maxMs: number;
}

export interface ScalePoint {
  notes: number;
  /** Page-1 times (ms) of sequential requests on one connection, all rounds together. */
  app: Distribution;
  baseline: Distribution;
}

export interface Target {
  what: string;
  target: string;
  value: string;
  met: boolean;
}

export interface Results {
  startedAt: string;
  finishedAt?: string;
  machine: { cpus: number; cpuModel: string; memoryMB: number; node: string; fdLimit: string };
  options: Record<string, unknown>;
  seed: { notes: number; comments: number; ms: number };
  bcryptCost: number;
  http: HttpComparison[];
  fanout: FanoutSetup[];
  memory?: { sockets: number; rssBeforeMB: number; rssAfterMB: number; perThousandMB: number };
  coldStart: ColdStart[];
  scale: ScalePoint[];
  /** Home page 1 CPU per request: mixed visibility and grants vs every note public. */
  sharing?: { notes: number; grants: number; todayCpuMs: number; mixedCpuMs: number; cpuRatio: number };
  /** History (DESIGN 4.8): pages of a note with 1,000 revisions of 100 kB, and saves with vs without history. */
  history?: {
    revisions: number;
    revisionChars: number;
    seedMs: number;
    historyPage: Distribution;
    diff: Distribution;
    compareFirstLast: Distribution;
    saveChars: number;
    saveWithout: Distribution;
    saveWith: Distribution;
    saveFolded: Distribution;
    saveRatio: number;
    foldedRatio: number;
  };
  /** Full-text search against a LIKE scan, per database size (phases/search.ts). */
  search: SearchSize[];
  /** Editing together (DESIGN 4.9): 50 editors on one 100 kB note over 2 replicas. */
  collab?: {
    editors: number;
    charsPerSecond: number;
    seconds: number;
    noteChars: number;
    keystrokes: number;
    deliveries: number;
    expectedDeliveries: number;
    latency: Distribution;
    storedUpdates: number;
    cpuMsPerUpdate: number;
    /** CPU of the bench process that runs the 50 editors, as a share of one core (absent in older runs). */
    editorsCpuShare?: number;
    logRowsMax: number;
    logRowsAfterCompaction: number;
    converged: boolean;
    bodyMatches: boolean;
    memoryPerNoteMB: number;
    rssPerNoteMB: number;
  };
  targets: Target[];
  /** 1-minute load average of the machine when each phase began and ended (other work shares the cores). */
  load: { phase: string; start: number; end: number }[];
  errors: string[];
}

export function newResults(options: Record<string, unknown>, fdLimit: string): Results {
  return {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryMB: Math.round(totalmem() / 1024 / 1024),
      node: process.version,
      fdLimit,
    },
    options,
    seed: { notes: 0, comments: 0, ms: 0 },
    bcryptCost: 0,
    http: [],
    fanout: [],
    coldStart: [],
    scale: [],
    search: [],
    targets: [],
    load: [],
    errors: [],
  };
}

/** Writes `<dir>/<YYYY-MM-DD-HHMM>.json` and the Markdown table beside it; returns both paths. */
export async function writeResults(dir: string, results: Results, markdown: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = results.startedAt.slice(0, 16).replace('T', '-').replace(':', '');
  const json = join(dir, `${stamp}.json`);
  const md = join(dir, `${stamp}.md`);
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(md, markdown);
  return [json, md];
}
