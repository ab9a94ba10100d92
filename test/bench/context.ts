import type { BenchOptions } from './cli.js';
import type { BenchProcess } from './process.js';
import type { Results } from './results.js';
import type { Common } from './services.js';

/** Everything the phases share: options, stores, running processes, the seeded data. */
export interface BenchContext extends Common {
  options: BenchOptions;
  results: Results;
  mysqlAdminUrl: string;
  redisUrl: string;
  notesDbUrl: string;
  usersDbUrl: string;
  userauth: BenchProcess;
  /** The svc-notes replica the HTTP measurements use. */
  notes: BenchProcess;
  /** The B side of an A/B run (--notes-entry-b), on the same stores as `notes`. */
  notesB: BenchProcess | undefined;
  baseline: BenchProcess;
  /** The limit: the baseline's pages on node:http. */
  raw: BenchProcess;
  pageSize: number;
  /** The benchmark user, owner of every seeded note. */
  username: string;
  password: string;
  /** Key of the newest note (it has comments); the note view and the fan-out edits use it. */
  noteKey: string;
  /** Registers a cleanup step, run in reverse order at the end (also on failure or Ctrl-C). */
  onCleanup: (step: () => Promise<unknown>) => void;
}
