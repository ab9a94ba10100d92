import type { Grant, Visibility } from './note-policy.js';

/** A note as the rest of the app sees it (plain object, no ORM behind it). */
export interface Note {
  key: string;
  title: string;
  /** Markdown source. */
  body: string;
  owner: string;
  /** Who may read it besides its owner and its grants (DESIGN 4.6). */
  visibility: Visibility;
  /** The users it is shared with, by name. */
  grants: Grant[];
  /** Every tag: the form's, then the `#tags` of the body (tags/tag-text.ts). */
  tags: string[];
  /** The tags given in the form's `[name=tags]` field. */
  formTags: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One line of the note list. */
export interface NoteSummary {
  key: string;
  title: string;
  owner: string;
  visibility: Visibility;
  createdAt: Date;
  /** Its last change. */
  updatedAt: Date;
  /** One line of plain text from the start of the body. */
  preview: string;
  /** Its tags, sorted. */
  tags: string[];
}

export interface NotePage {
  notes: NoteSummary[];
  page: number;
  hasNext: boolean;
  /** All notes of the list (every page); 0 when there are none, undefined past the last page. */
  total: number | undefined;
  /** False when the count stopped at its cap: there are more than `total` (shown "of 1,000+"). */
  totalExact: boolean;
}
