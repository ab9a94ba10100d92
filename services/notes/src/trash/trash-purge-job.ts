import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isDatabaseUnavailable, type Logger } from '@notes/kit';
import type { Sequelize } from 'sequelize';
import { JobLease } from './job-lease.js';
import type { TrashRepository } from './trash-repository.js';

const DAY_MS = 24 * 3600 * 1000;
/** Notes purged per transaction, so that a large trash never holds long locks. */
const BATCH = 100;

export interface TrashPurgeSettings {
  /** NOTES_TRASH_DAYS: a trashed note is purged this long after it was deleted. */
  days: number;
  /** NOTES_TRASH_PURGE_SECONDS: how often each replica tries to run the purge. */
  intervalSeconds: number;
}

/**
 * Purges notes that have been in the trash longer than NOTES_TRASH_DAYS, on one replica at a time:
 * every interval each replica tries to take (or renew) the lease; only its holder purges. The
 * lease lasts three intervals, so a replica that stops is replaced within that time (one that
 * shuts down gives it up at once).
 */
export class TrashPurgeJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly lease: JobLease;

  constructor(
    db: Sequelize,
    private readonly trash: TrashRepository,
    private readonly settings: TrashPurgeSettings,
    private readonly logger: Logger,
  ) {
    this.lease = new JobLease(
      db,
      'trash-purge',
      `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    );
  }

  start(): void {
    const every = this.settings.intervalSeconds * 1000;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce()
        .then(() => undefined)
        .finally(() => {
          this.running = undefined;
        });
    }, every);
    this.timer.unref();
  }

  /** One round: take the lease, purge what expired in batches; false when another replica holds it. */
  async runOnce(now = new Date()): Promise<boolean> {
    try {
      if (!(await this.lease.acquire(this.settings.intervalSeconds * 3000, now.getTime()))) return false;
      const before = new Date(now.getTime() - this.settings.days * DAY_MS);
      let purged = 0;
      for (;;) {
        const n = await this.trash.purge({ deletedBefore: before }, BATCH);
        purged += n;
        if (n < BATCH) break;
      }
      this.logger.info({ job: 'trash-purge', holder: this.lease.holder, purged }, 'trash purge ran');
      return true;
    } catch (err) {
      const level = isDatabaseUnavailable(err) ? 'warn' : 'error';
      this.logger[level]({ job: 'trash-purge', err: (err as Error).message }, 'trash purge failed');
      return false;
    }
  }

  /** Stops the timer, waits for a running round, and gives the lease up. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.lease.release().catch(() => undefined);
  }
}
