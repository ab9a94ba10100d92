/** An update to store: its note, bytes and author, plus whatever the caller needs back. */
export interface BatchItem {
  key: string;
  data: Uint8Array;
  author: string;
}

export interface BatchLimits {
  /** Rows in one INSERT at most. */
  rows: number;
  /** Bytes of updates in one INSERT at most (a single larger update still goes alone). */
  bytes: number;
}

interface Waiting<T> {
  item: T;
  resolve: (id: number) => void;
  reject: (err: unknown) => void;
}

/**
 * Stores the updates that arrive together with one INSERT: those of one turn of the event loop,
 * and, while an INSERT is on its way, all that arrive meanwhile (one statement at a time per
 * replica: a slower database makes bigger batches, not a queue of statements). Once a batch is
 * committed `stored` runs with it (apply, hand to sockets, relay), and only then is each update's
 * promise resolved (its acknowledgement): nothing is acknowledged or relayed before it is stored.
 * A failed INSERT rejects every update of its batch (none of them was stored).
 */
export class UpdateBatcher<T extends BatchItem> {
  private queue: Waiting<T>[] = [];
  private writing = false;
  private scheduled = false;

  constructor(
    private readonly insert: (items: readonly T[]) => Promise<number[]>,
    private readonly stored: (items: readonly { item: T; id: number }[], seconds: number) => void,
    private readonly failed: (err: unknown) => void,
    private readonly limits: BatchLimits = { rows: 500, bytes: 1024 * 1024 },
  ) {}

  /** Resolves with the update's log id once it is stored (and handed on). */
  add(item: T): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.writing || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.write();
    });
  }

  private take(): Waiting<T>[] {
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && n < this.limits.rows) {
      const size = this.queue[n]?.item.data.byteLength ?? 0;
      if (n > 0 && bytes + size > this.limits.bytes) break;
      bytes += size;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async write(): Promise<void> {
    this.writing = true;
    const batch = this.take();
    const started = process.hrtime.bigint();
    try {
      let ids: number[];
      try {
        ids = await this.insert(batch.map((w) => w.item));
      } catch (err) {
        for (const w of batch) w.reject(err);
        return;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      try {
        this.stored(
          batch.map((w, i) => ({ item: w.item, id: ids[i] as number })),
          seconds,
        );
      } catch (err) {
        // Stored all the same, so acknowledged: the log has them, and whoever missed them here
        // catches up from it.
        this.failed(err);
      }
      batch.forEach((w, i) => {
        w.resolve(ids[i] as number);
      });
    } finally {
      this.writing = false;
      this.kick();
    }
  }
}
