/** One kept state of a note (DESIGN 4.8): who saved it, when, and the whole text. */
export interface Revision {
  number: number;
  author: string;
  title: string;
  /** Markdown source. */
  body: string;
  /** Characters (code points) of the body. */
  size: number;
  /** The revision whose text this one brought back, when it was made by a restore. */
  restoredFrom: number | null;
  /** The first save of this revision. */
  createdAt: Date;
  /** The last save folded into it (equal to createdAt when there was one save). */
  updatedAt: Date;
}

/** A line of the history list: a revision without its text, with the size of the one before it. */
export interface RevisionSummary extends Omit<Revision, 'body'> {
  /** Size of the previous kept revision; null for the oldest kept one. */
  previousSize: number | null;
}

export interface RevisionPage {
  revisions: RevisionSummary[];
  page: number;
  hasNext: boolean;
  /** How many revisions are kept in all. */
  total: number;
}
