/** A comment on a note, as sent to pages and sockets. */
export interface Comment {
  id: number;
  noteKey: string;
  author: string;
  message: string;
  createdAt: Date;
}

/** The wire form of a comment (DESIGN 4.2 `newmessage`). */
export interface CommentView {
  id: number;
  key: string;
  from: string;
  message: string;
  /** ISO 8601 instant. */
  timestamp: string;
  /** The same instant formatted exactly as the server-rendered page shows it. */
  time: string;
}
