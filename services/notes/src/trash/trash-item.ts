/** A note in its owner's trash, as the trash page lists it. */
export interface TrashItem {
  /** The note's row id: its handle while it has no key of its own. */
  id: number;
  title: string;
  /** The key it had, and gets back unless another note took it meanwhile. */
  key: string;
  deletedAt: Date;
  /** When the purge job removes it for good. */
  purgeAfter: Date;
}
