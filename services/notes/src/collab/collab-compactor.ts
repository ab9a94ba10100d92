import type { Logger } from '@notes/kit';
import * as Y from 'yjs';
import type { CollabLock } from './collab-lock.js';
import type { CollabObserver } from './collab-observer.js';
import type { CollabRepository } from './collab-repository.js';
import { docFrom, textOf } from './collab-text.js';

/** Where a compacted body goes: the note service (so list, search and history see it). */
export interface MergedBodySink {
  saveMergedBody(key: string, body: string, authors: string[]): Promise<void>;
}

export interface CompactionTiming {
  /** Compact once nobody typed for this long. */
  idleMs: number;
  /** ...but at the latest this long after the first unmerged update, even while typing goes on. */
  maxDelayMs: number;
}

/** Rows merged in one pass (a longer log takes several passes). */
const BATCH = 2000;

/**
 * Merges the update log of a note into its stored state and Markdown body, shortly after typing
 * pauses, one replica at a time (CollabLock). Order of writes: the state (only if no other
 * compaction replaced it since it was read), then the body through the note service, then the
 * merged rows by their exact ids; a crash between any two leaves rows that the next pass merges
 * again to the same result, so nothing acknowledged is ever lost.
 */
export class CollabCompactor {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; firstAt: number }>();
  private closed = false;

  constructor(
    private readonly repo: CollabRepository,
    private readonly sink: MergedBodySink,
    private readonly lock: CollabLock,
    private readonly timing: CompactionTiming,
    private readonly logger: Logger,
    private readonly observer: CollabObserver = {},
  ) {}

  /** Someone typed in `key`: compact after the next pause. */
  schedule(key: string, delayMs = this.timing.idleMs): void {
    if (this.closed) return;
    const now = Date.now();
    const current = this.pending.get(key);
    const firstAt = current?.firstAt ?? now;
    if (current) clearTimeout(current.timer);
    const wait = Math.max(0, Math.min(delayMs, firstAt + this.timing.maxDelayMs - now));
    const timer = setTimeout(() => {
      this.pending.delete(key);
      this.compact(key).catch((err: unknown) => {
        this.logger.warn({ err, key }, 'collab compaction failed; retrying later');
        this.schedule(key, this.timing.maxDelayMs);
      });
    }, wait);
    timer.unref();
    this.pending.set(key, { timer, firstAt });
  }

  /** Compacts now; when another replica holds the lock, tries again a little later. */
  async compact(key: string): Promise<void> {
    const ran = await this.lock.run(key, () => this.merge(key));
    if (!ran) this.schedule(key, this.timing.idleMs);
  }

  /** Compacts now and waits for it, even while another holder finishes (form saves). */
  async compactNow(key: string, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await this.lock.run(key, () => this.merge(key)))) {
      if (Date.now() > until) throw new Error('collab lock busy');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async merge(key: string): Promise<void> {
    for (let pass = 0; pass < 20; pass++) {
      const stored = await this.repo.state(key);
      if (!stored) return;
      const log = await this.repo.log(key, BATCH);
      if (log.length === 0) return;
      const doc = docFrom([stored.state, ...log.map((r) => r.data)]);
      const state = Y.encodeStateAsUpdate(doc);
      const body = textOf(doc);
      doc.destroy();
      if (!(await this.repo.replaceState(key, stored.seq, state))) continue;
      await this.sink.saveMergedBody(key, body, [...new Set(log.map((r) => r.author))]);
      await this.repo.deleteLogRows(log.map((r) => r.id));
      this.observer.compacted?.(log.length);
      this.logger.debug({ key, rows: log.length }, 'collab log compacted');
      if (log.length < BATCH) return;
    }
  }

  close(): void {
    this.closed = true;
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
