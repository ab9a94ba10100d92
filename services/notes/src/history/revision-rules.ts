import type { Revision } from './revision.js';

/** How the history stays readable and bounded (NOTES_REVISION_MERGE_SECONDS, NOTES_REVISION_KEEP). */
export interface RevisionSettings {
  /** Saves by the same author within this many seconds of a revision's first save fold into it; 0 = never. */
  mergeSeconds: number;
  /** At most this many revisions per note (the first and the newest are always kept). */
  keep: number;
}

/** A saved change, as the history receives it. */
export interface SavedChange {
  author: string;
  title: string;
  body: string;
  at: Date;
  /** Set by a restore: the revision whose text came back. */
  restoredFrom?: number;
}

export type Recording = 'unchanged' | 'fold' | 'new';

/**
 * What a save does to the history: nothing when the text is the newest revision's (a change of
 * visibility alone, or a restore of the current text), folds into the newest revision when the same
 * author saves again within the merge window measured from that revision's first save (so one
 * revision spans at most that long, however often someone saves), else a new revision. A restore
 * is always its own revision, and nothing folds into one: "restored from N" stays visible.
 */
export function recordingOf(
  latest: Pick<Revision, 'author' | 'title' | 'body' | 'restoredFrom' | 'createdAt'> | null,
  change: SavedChange,
  settings: RevisionSettings,
): Recording {
  if (!latest) return 'new';
  if (latest.title === change.title && latest.body === change.body) return 'unchanged';
  if (change.restoredFrom !== undefined || latest.restoredFrom !== null) return 'new';
  if (latest.author !== change.author || settings.mergeSeconds === 0) return 'new';
  const elapsed = change.at.getTime() - latest.createdAt.getTime();
  return elapsed >= 0 && elapsed < settings.mergeSeconds * 1000 ? 'fold' : 'new';
}

/** How many of the oldest revisions after the first go, so that `count` fits in `keep`. */
export function excessRevisions(count: number, keep: number): number {
  return Math.max(0, count - Math.max(keep, 2));
}
