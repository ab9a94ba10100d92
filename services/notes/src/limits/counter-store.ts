/**
 * Counters that expire, shared by every replica: Redis when NOTES_REDIS_URL is set, the notes
 * database otherwise (redis-counters.ts, database-counters.ts). The login limiter counts failures in
 * them.
 */
export interface CounterStore {
  /** Adds one to `name` (a fresh counter lives `windowMs` from its first hit); resolves with the count. */
  hit(name: string, windowMs: number): Promise<number>;
  /** The live counts of `names`, in order (0 for a missing or expired counter). */
  counts(names: string[]): Promise<number[]>;
  /** Forgets `names`. */
  clear(names: string[]): Promise<void>;
}
