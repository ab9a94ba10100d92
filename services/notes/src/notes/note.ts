/** A note as the rest of the app sees it (plain object, no ORM behind it). */
export interface Note {
  key: string;
  title: string;
  /** Markdown source. */
  body: string;
  owner: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One line of the note list. */
export interface NoteSummary {
  key: string;
  title: string;
  owner: string;
  createdAt: Date;
}

export interface NotePage {
  notes: NoteSummary[];
  page: number;
  hasNext: boolean;
}
