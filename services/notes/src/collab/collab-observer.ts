/**
 * What editing together tells the metrics (metrics/collab-metrics.ts) as it happens; every hook is
 * optional and nothing is told when metrics are off.
 */
export interface CollabObserver {
  /** One INSERT stored `rows` updates in `seconds`. */
  stored?(rows: number, seconds: number): void;
  /** An update was refused; `reason` is the error code its acknowledgement carried. */
  refused?(reason: string): void;
  /** A compaction pass merged `rows` log rows into a note. */
  compacted?(rows: number): void;
}
