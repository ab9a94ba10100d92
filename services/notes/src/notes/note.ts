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
}

export interface NotePage {
  notes: NoteSummary[];
  page: number;
  hasNext: boolean;
}
