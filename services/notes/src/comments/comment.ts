/** A comment on a note (plain object, no ORM behind it). */
export interface Comment {
  id: number;
  noteKey: string;
  author: string;
  message: string;
  createdAt: Date;
  /** When its author last changed it; null if never. */
  editedAt: Date | null;
}
