import type { Visitor } from '../notes/note-policy.js';
import type { TagCount, TagRepository } from './tag-repository.js';

/** How many visitors' clouds one replica keeps at most (the least recently counted goes first). */
const MAX_KEPT = 1000;

/** One tag of the cloud as the page shows it (its link made once per count, not per page). */
export interface CloudTag extends TagCount {
  href: string;
}

interface Kept {
  /** Counted until then; after it, shown while a new count runs. */
  until: number;
  tags: CloudTag[] | undefined;
  counting: Promise<void> | undefined;
}

/**
 * The home page's tag cloud (DESIGN 4.7): the `size` most used tags of the notes the visitor may
 * read, with their counts, by the read policy (TagRepository). Counting reads every tag row of the
 * readable notes (20,000 at 10,000 notes), far more than the page itself, and the home page is the
 * busiest: so with `seconds` > 0 each replica keeps a cloud per visitor class (one for all
 * anonymous visitors, who read the same notes; one per signed-in user, whose own and shared notes
 * differ) and the page never waits for a count: it shows the kept cloud, counts again in the
 * background once it is `seconds` old, and shows none until the first count is in. A change thus
 * shows in the cloud within about that long; /tags and the tag pages are always exact. With
 * `seconds` = 0 every visit counts, and waits (tests).
 */
export class TagCloud {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly tags: TagRepository,
    private readonly size: number,
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async top(visitor: Visitor): Promise<CloudTag[]> {
    if (this.size === 0) return [];
    if (this.seconds === 0) return this.counted(visitor);
    const key = visitor ? `user:${visitor.username}` : 'anonymous';
    let kept = this.kept.get(key);
    if (!kept) {
      if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
      kept = { until: 0, tags: undefined, counting: undefined };
      this.kept.set(key, kept);
    }
    if (kept.until <= this.now() && !kept.counting) kept.counting = this.count(key, kept, visitor);
    return kept.tags ?? [];
  }

  private async counted(visitor: Visitor): Promise<CloudTag[]> {
    const counts = await this.tags.counts(visitor, this.size);
    return counts.map((c) => ({ ...c, href: `/tags/${encodeURIComponent(c.tag)}` }));
  }

  /** Counts in the background; a failure keeps what was there (the next visit tries again). */
  private async count(key: string, kept: Kept, visitor: Visitor): Promise<void> {
    try {
      kept.tags = await this.counted(visitor);
      kept.until = this.now() + this.seconds * 1000;
      // Counted now: the last to be evicted.
      this.kept.delete(key);
      this.kept.set(key, kept);
    } catch {
      // The list on the same page meets the same store fault and reports it.
    } finally {
      kept.counting = undefined;
    }
  }

  /** Resolves once the counts under way are in (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.kept.values()].map((k) => k.counting));
  }
}
